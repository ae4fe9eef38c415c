"""Issue 20: ventures 0010/0011 keep a venture's status history in its events alone.
Every StatusChange row lives on as an event about the venture (one made for a row that
had none), and going back rebuilds the rows from the events."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from tests.migrating import events, migrate, venture_world

BEFORE = ("ventures", "0009_target_reached")
KIND = "venture.status_changed"
PAUSED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
CLOSED = datetime.datetime(2026, 4, 6, 15, 0, tzinfo=datetime.UTC)


# Serialized rollback, as every transactional test here (see test_meeting_agreed_migration).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_status_rows_become_events_about_the_venture_and_come_back():
    # given, under the old schema, a venture paused (its event about the row) and then
    # closed on an installation that recorded no event for it
    old = migrate(*BEFORE)
    try:
        world = venture_world(old, username="status-seir", venture="Saheli Hub")
        venture = world.venture
        StatusChange = old.get_model("ventures", "StatusChange")
        paused = StatusChange.objects.create(
            venture=venture,
            from_status="active",
            to_status="paused",
            reason="Lead on leave.",
            changed_by=world.user,
            changed_at=PAUSED,
        )
        StatusChange.objects.create(
            venture=venture,
            from_status="paused",
            to_status="closed",
            reason="Founder left.",
            changed_by=None,
            changed_at=CLOSED,
        )
        recorded = PAUSED + datetime.timedelta(seconds=1)
        old.get_model("events", "Event").objects.create(
            at=PAUSED,
            recorded_at=recorded,
            kind=KIND,
            actor=world.user,
            programme=world.programme,
            venture_id=venture.pk,
            venture_label="Saheli Hub",
            subject_type=old.get_model("contenttypes", "ContentType").objects.get_for_model(
                StatusChange
            ),
            subject_id=str(paused.pk),
            subject_label="Saheli Hub: active → paused",
            data={
                "from": "active",
                "to": "paused",
                "from_label": "Active",
                "to_label": "Paused",
                "reason": "Lead on leave.",
            },
        )

        # when the migrations run
        new = migrate()

        # then both changes are events about the venture, the one that had none made
        # from its row, and the table is gone
        about = (KIND, "venture", str(venture.pk), "Saheli Hub")
        where = (world.programme.pk, venture.pk, "Saheli Hub")
        assert events(new, kind=KIND) == [
            (
                *about,
                "status-seir",
                *where,
                PAUSED,
                recorded,
                {
                    "from": "active",
                    "to": "paused",
                    "from_label": "Active",
                    "to_label": "Paused",
                    "reason": "Lead on leave.",
                },
            ),
            (
                *about,
                None,
                *where,
                CLOSED,
                CLOSED,
                {
                    "from": "paused",
                    "to": "closed",
                    "from_label": "Paused",
                    "to_label": "Closed",
                    "reason": "Founder left.",
                },
            ),
        ]
        assert "ventures_statuschange" not in connection.introspection.table_names()

        # when the migrations are undone
        back = migrate(*BEFORE)

        # then the rows come back from the events, and the events are about them again
        rows = list(
            back.get_model("ventures", "StatusChange")
            .objects.order_by("changed_at")
            .values_list(
                "pk",
                "venture_id",
                "from_status",
                "to_status",
                "reason",
                "changed_by_id",
                "changed_at",
            )
        )
        assert [row[1:] for row in rows] == [
            (venture.pk, "active", "paused", "Lead on leave.", world.user.pk, PAUSED),
            (venture.pk, "paused", "closed", "Founder left.", None, CLOSED),
        ]
        assert [e[1:5] for e in events(back, kind=KIND)] == [
            ("statuschange", str(rows[0][0]), "Saheli Hub: active → paused", "status-seir"),
            ("statuschange", str(rows[1][0]), "Saheli Hub: paused → closed", None),
        ]
    finally:
        # Every app back at its latest migration.
        migrate()
