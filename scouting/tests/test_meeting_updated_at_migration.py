"""Meetings logged before they could be corrected take ``updated_at`` from when they were
logged (``scouting`` 0007), so an edit page's ``seen_at`` means something for them too;
nothing else about them changes."""

from __future__ import annotations

import datetime

import pytest

from tests.migrating import migrate


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_meetings_take_when_they_were_logged():
    old = migrate("scouting", "0006_meeting_tallies")
    try:
        programme = old.get_model("accounts", "Programme").objects.create(
            name="Migration programme",
            host_organisation="Host",
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2027, 12, 31),
        )
        Meeting = old.get_model("scouting", "Meeting")
        held = datetime.datetime(2026, 6, 1, 10, 30, tzinfo=datetime.UTC)
        meeting = Meeting.objects.create(programme=programme, held_at=held, notes="Kept")
        logged = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
        Meeting.objects.filter(pk=meeting.pk).update(created_at=logged)

        new = migrate()

        row = new.get_model("scouting", "Meeting").objects.get(pk=meeting.pk)
        assert (row.updated_at, row.created_at, row.held_at, row.notes) == (
            logged,
            logged,
            held,
            "Kept",
        )
    finally:
        migrate()
