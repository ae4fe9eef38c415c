"""When a thing happened (``Event.at``) and when it was recorded (``recorded_at``)."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from events import registry
from events.models import Event
from events.registry import EventKind
from events.services import event_record, event_record_many, moment_of

pytestmark = pytest.mark.django_db

KIND = "test.dated"


@pytest.fixture(autouse=True)
def test_kind(monkeypatch):
    monkeypatch.setitem(registry._kinds, KIND, EventKind(code=KIND, label="Dated"))
    monkeypatch.setattr(registry, "_handlers", registry.defaultdict(list))


def _record(**kwargs) -> Event:
    with transaction.atomic():
        return event_record(actor=None, kind=KIND, **kwargs)


def test_without_a_time_it_happened_as_it_was_recorded():
    event = _record()

    assert event.at == event.recorded_at
    assert event.at_is_day is False
    assert event.recorded_apart is False


def test_a_past_day_is_filed_at_midday_of_that_day_known_by_its_day():
    event = _record(on=datetime.date(2026, 7, 12))

    local = timezone.localtime(event.at)
    assert (local.date(), local.time()) == (datetime.date(2026, 7, 12), datetime.time(12))
    assert event.at_is_day is True
    assert timezone.localdate(event.recorded_at) == timezone.localdate()
    assert event.recorded_apart is True


def test_today_as_a_day_keeps_the_recording_moment_so_today_keeps_its_order():
    event = _record(on=timezone.localdate())

    assert event.at == event.recorded_at
    assert event.at_is_day is True
    assert event.recorded_apart is False


def test_a_moment_wins_over_a_day_and_is_shown_apart_from_a_minute():
    held = timezone.now() - datetime.timedelta(hours=3)
    event = _record(at=held, on=datetime.date(2026, 7, 12))

    assert (event.at, event.at_is_day) == (held, False)
    assert event.recorded_apart is True
    assert _record(at=timezone.now() - datetime.timedelta(seconds=20)).recorded_apart is False


def test_moment_of():
    now = timezone.make_aware(datetime.datetime(2026, 12, 2, 9, 30))
    assert moment_of(datetime.date(2026, 12, 2), now=now) == now
    assert moment_of(datetime.date(2026, 7, 12), now=now) == timezone.make_aware(
        datetime.datetime(2026, 7, 12, 12)
    )


def test_the_bulk_path_records_days_too():
    with transaction.atomic():
        [event] = event_record_many(
            actor=None, kind=KIND, records=[{"on": datetime.date(2026, 7, 12)}]
        )
    row = Event.objects.get(pk=event.pk)
    assert timezone.localdate(row.at) == datetime.date(2026, 7, 12)
    assert row.at_is_day is True


def test_the_migration_files_earlier_dated_steps_under_their_day():
    # given rows written before events knew when they were recorded: an introduction
    # step dated 12 July (recorded 2 Dec), and a note
    clicked = timezone.make_aware(datetime.datetime(2026, 12, 2, 15, 0))
    step = Event.objects.create(
        kind="commissioning.introduction_moved", at=clicked, data={"on": "2026-07-12"}
    )
    note = Event.objects.create(kind="venture.note_added", at=clicked, data={})
    broken = Event.objects.create(
        kind="funding.status_changed", at=clicked, data={"on": "not a date"}
    )
    migration = importlib.import_module("events.migrations.0002_event_recorded_at")

    # when the data migration runs
    migration.forwards(apps, None)

    # then each keeps its click as when it was recorded, and the step moves to its day
    step.refresh_from_db()
    note.refresh_from_db()
    broken.refresh_from_db()
    assert timezone.localdate(step.at) == datetime.date(2026, 7, 12)
    assert (step.at_is_day, step.recorded_at) == (True, clicked)
    assert (note.at, note.at_is_day, note.recorded_at) == (clicked, False, clicked)
    assert (broken.at, broken.at_is_day, broken.recorded_at) == (clicked, False, clicked)
