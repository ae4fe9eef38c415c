"""events_about: the events of some kinds about one object, told apart from another
model's row with the same key."""

import pytest
from django.db import transaction

from accounts.factories import ProgrammeFactory, UserFactory
from accounts.models import User
from events import registry
from events.registry import EventKind
from events.selectors import events_about
from events.services import event_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kinds(monkeypatch):
    for code in ("test.poked", "test.other"):
        monkeypatch.setitem(registry._kinds, code, EventKind(code=code, label=code))


def test_only_this_objects_events_of_those_kinds(django_assert_num_queries):
    programme = ProgrammeFactory()
    other_programme = ProgrammeFactory()
    # A user whose key is the programme's: the same subject_id, another subject type.
    namesake = User.objects.filter(pk=programme.pk).first() or UserFactory(pk=programme.pk)
    with transaction.atomic():
        first = event_record(actor=None, kind="test.poked", subject=programme)
        event_record(actor=None, kind="test.other", subject=programme)
        event_record(actor=None, kind="test.poked", subject=other_programme)
        event_record(actor=None, kind="test.poked", subject=namesake)
        second = event_record(actor=namesake, kind="test.poked", subject=programme)
    with django_assert_num_queries(1):
        found = list(events_about(subject=programme, kinds=["test.poked"]).order_by("id"))
        assert [e.actor for e in found] == [None, namesake]
    assert [e.pk for e in found] == [first.pk, second.pk]
