"""The event entry point: one row per call, in the caller's transaction; handlers only
after commit."""

import pytest
from django.db import transaction

from accounts.factories import ProgrammeFactory, UserFactory
from events import registry
from events.models import Event, EventVisibility
from events.registry import EventKind
from events.services import event_record, event_record_many
from outbox import tasks as outbox_tasks

pytestmark = pytest.mark.django_db


def is_outbox_send(callback) -> bool:
    return getattr(callback, "func", None) is outbox_tasks.publish


KIND = "test.poked"


@pytest.fixture(autouse=True)
def test_kind(monkeypatch):
    monkeypatch.setitem(registry._kinds, KIND, EventKind(code=KIND, label="Poked"))
    monkeypatch.setitem(
        registry._kinds,
        "test.secret",
        EventKind(code="test.secret", label="Secret", visibility=EventVisibility.STAFF),
    )
    monkeypatch.setattr(registry, "_handlers", registry.defaultdict(list))


def test_records_one_row_with_everything_it_was_given():
    actor = UserFactory(first_name="Ada", last_name="Lovelace")
    programme = ProgrammeFactory()
    with transaction.atomic():
        event = event_record(
            actor=actor, kind=KIND, subject=programme, data={"amount": "12.50", "n": 3}
        )
    row = Event.objects.get()
    assert row.pk == event.pk
    assert (row.kind, row.actor, row.programme_id) == (KIND, actor, programme.pk)
    assert row.subject == programme
    assert row.subject_label == programme.name
    assert row.data == {"amount": "12.50", "n": 3}
    assert row.visibility == EventVisibility.TEAM
    assert row.venture_id is None


def test_kind_sets_the_default_visibility_and_a_call_can_tighten_it():
    with transaction.atomic():
        secret = event_record(actor=None, kind="test.secret")
        tightened = event_record(actor=None, kind=KIND, visibility=EventVisibility.STAFF)
    assert secret.visibility == EventVisibility.STAFF
    assert tightened.visibility == EventVisibility.STAFF


def test_unknown_kind_is_refused_and_writes_nothing():
    with pytest.raises(ValueError, match="Unknown event kind"), transaction.atomic():
        event_record(actor=None, kind="nobody.registered_this")
    assert Event.objects.count() == 0


def test_handler_runs_after_commit_not_before(django_capture_on_commit_callbacks):
    seen = []
    registry.subscribe(KIND)(lambda event: seen.append(event.kind))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            event_record(actor=None, kind=KIND)
            assert seen == []  # not yet: the change has not committed
    # the handlers' one callback (beside the outbox's send, for kinds that notify: issue 18)
    assert len([c for c in callbacks if not is_outbox_send(c)]) == 1
    assert seen == [KIND]


def test_rolled_back_change_leaves_no_event_and_runs_no_handler(
    django_capture_on_commit_callbacks,
):
    seen = []
    registry.subscribe(registry.ALL_KINDS)(seen.append)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError, match="boom"), transaction.atomic():
            event_record(actor=None, kind=KIND)
            raise RuntimeError("boom")
    assert Event.objects.count() == 0
    assert callbacks == []
    assert seen == []


def test_a_failing_handler_neither_undoes_the_change_nor_stops_the_others(
    django_capture_on_commit_callbacks, caplog
):
    seen = []

    def broken(event):
        raise ValueError("handler bug")

    registry.subscribe(KIND)(broken)
    registry.subscribe(KIND)(lambda event: seen.append(event.pk))
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            event = event_record(actor=None, kind=KIND)
    assert Event.objects.filter(pk=event.pk).exists()
    assert seen == [event.pk]
    assert "handler bug" in caplog.text


def test_handlers_subscribe_to_their_kinds_only(django_capture_on_commit_callbacks):
    seen = []
    registry.subscribe("test.secret")(seen.append)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event_record(actor=None, kind=KIND)
    assert seen == []


def test_record_many_writes_one_row_each_and_runs_handlers_after_commit(
    django_capture_on_commit_callbacks,
):
    seen = []
    registry.subscribe(KIND)(lambda event: seen.append(event.data["n"]))
    programme = ProgrammeFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events = event_record_many(
            actor=None,
            kind=KIND,
            records=[{"programme": programme, "data": {"n": n}} for n in range(3)],
        )
        assert seen == []
    assert len(events) == 3
    assert sorted(Event.objects.values_list("data__n", flat=True)) == [0, 1, 2]
    assert set(Event.objects.values_list("programme_id", flat=True)) == {programme.pk}
    assert seen == [0, 1, 2]


def test_record_many_refuses_an_unknown_kind_and_writes_nothing():
    with pytest.raises(ValueError, match="Unknown event kind"), transaction.atomic():
        event_record_many(actor=None, kind="nobody.registered_this", records=[{}])
    assert Event.objects.count() == 0
