"""Events that tell people write their outbox row in the same transaction (issue 18 item
5): one INSERT more per event, rolled back with the change, and none for kinds nobody is
told of."""

import pytest
from django.db import transaction

from accounts.factories import ProgrammeFactory
from events import registry
from events import services as event_services
from events.models import Event
from events.registry import EventKind
from events.services import NOTIFY_TOPIC, event_record, event_record_many
from outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

TOLD = "test.told"
UNTOLD = "test.untold"


@pytest.fixture(autouse=True)
def kinds(monkeypatch):
    for code in (TOLD, UNTOLD):
        monkeypatch.setitem(registry._kinds, code, EventKind(code=code, label=code))
    monkeypatch.setattr(registry, "_handlers", registry.defaultdict(list))
    # Whatever notification rules the apps register, only TOLD tells anybody here.
    monkeypatch.setattr(event_services, "kind_notifies", lambda code: code == TOLD)


def messages():
    return list(OutboxMessage.objects.values_list("topic", "payload", "delivered_at"))


def test_an_event_of_a_kind_that_tells_writes_one_outbox_row_in_two_inserts(
    django_assert_num_queries,
):
    programme = ProgrammeFactory()
    # the test runs inside a transaction, as a service does: the event, then the row
    with django_assert_num_queries(2) as captured:
        event = event_record(actor=None, kind=TOLD, programme=programme)

    assert [q["sql"].split()[:3] for q in captured.captured_queries] == [
        ["INSERT", "INTO", '"events_event"'],
        ["INSERT", "INTO", '"outbox_outboxmessage"'],
    ]
    assert messages() == [(NOTIFY_TOPIC, {"event_id": event.pk}, None)]


def test_an_event_nobody_is_told_of_writes_no_row(django_assert_num_queries):
    programme = ProgrammeFactory()
    with django_assert_num_queries(1):
        event_record(actor=None, kind=UNTOLD, programme=programme)

    assert messages() == []


def test_the_row_rolls_back_with_the_change():
    with pytest.raises(RuntimeError), transaction.atomic():
        event_record(actor=None, kind=TOLD)
        raise RuntimeError("the service is refused after recording")

    assert Event.objects.count() == 0
    assert messages() == []


def test_the_batch_form_writes_its_rows_in_one_more_insert(django_assert_num_queries):
    programme = ProgrammeFactory()
    with django_assert_num_queries(2):
        events = event_record_many(
            actor=None, kind=TOLD, records=[{"programme": programme} for _ in range(3)]
        )

    assert sorted(p["event_id"] for _, p, _ in messages()) == sorted(e.pk for e in events)
    with django_assert_num_queries(1):
        event_record_many(actor=None, kind=UNTOLD, records=[{"programme": programme}])
    assert len(messages()) == 3
