"""``seir.changes.on_change``: the handler runs after a save that changed a watched field,
with the values before, and for nothing else."""

from __future__ import annotations

import pytest
from django.db.models.signals import post_save, pre_save

from accounts.factories import ProgrammeFactory
from accounts.models import Programme
from seir.changes import on_change

pytestmark = pytest.mark.django_db

UID = "test_changes_programme_name"


@pytest.fixture
def calls():
    seen = []
    on_change(
        Programme,
        ("name", "target_stage_code"),
        lambda p, before: seen.append((p.name, before)),
        uid=UID,
        on_create=True,
    )
    yield seen
    pre_save.disconnect(sender=Programme, dispatch_uid=f"{UID}:before")
    post_save.disconnect(sender=Programme, dispatch_uid=f"{UID}:after")


def test_called_on_create_and_on_a_change_with_the_values_before(calls):
    programme = ProgrammeFactory(name="Birmingham", target_stage_code="pilot")
    assert calls == [("Birmingham", None)]
    programme.name = "Birmingham East"
    programme.save()
    assert calls[-1] == ("Birmingham East", {"name": "Birmingham", "target_stage_code": "pilot"})


def test_not_called_when_nothing_watched_changed_or_was_saved(calls):
    programme = ProgrammeFactory(name="Solihull")
    calls.clear()
    programme.save()  # nothing changed
    programme.name = "Solihull Council"
    programme.save(update_fields=["target_stage_code"])  # the name is not saved
    assert calls == []
    assert Programme.objects.get(pk=programme.pk).name == "Solihull"


def test_before_save_runs_before_the_write_and_only_for_a_change():
    uid = "test_changes_before_save"
    seen = []

    def before_save(programme, before):
        # Nothing written yet: the row still holds the old name.
        seen.append((before["name"], Programme.objects.get(pk=programme.pk).name, programme.name))

    on_change(Programme, ("name",), lambda p, before: None, uid=uid, before_save=before_save)
    try:
        programme = ProgrammeFactory(name="Walsall")
        assert seen == []  # a new row: nothing to lock before
        programme.save()
        assert seen == []  # nothing changed
        programme.name = "Walsall Council"
        programme.save()
        assert seen == [("Walsall", "Walsall", "Walsall Council")]
    finally:
        pre_save.disconnect(sender=Programme, dispatch_uid=f"{uid}:before")
        post_save.disconnect(sender=Programme, dispatch_uid=f"{uid}:after")
