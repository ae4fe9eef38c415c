"""An item's history is its move events (issue 20): the page lists them as it listed the
StatusChange rows, and checklists 0007/0008 turn every row into such an event."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from checklists import services
from checklists.factories import pdf_upload
from checklists.selectors import MOVE_KINDS
from events.models import Event
from tests.migrating import events, migrate, venture_world


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
def test_the_item_page_shows_its_history_newest_first_from_the_events(
    client, seir, entrepreneur, item
):
    # given an item started by its first evidence, submitted, returned with a comment,
    # submitted again, accepted until today and expired by the daily run tomorrow
    today = timezone.localdate()
    services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload())
    services.checklist_item_move(actor=entrepreneur, item=item, to_status="submitted")
    services.checklist_item_move(
        actor=seir, item=item, to_status="returned", comment="Unsigned: sign page 4."
    )
    services.checklist_item_move(actor=entrepreneur, item=item, to_status="submitted")
    services.checklist_item_move(actor=seir, item=item, to_status="accepted", expires_on=today)
    services.checklist_items_expire(today=today + datetime.timedelta(days=1))
    moves = Event.objects.filter(subject_id=str(item.pk), kind__in=MOVE_KINDS).order_by("-id")
    when = [date_format(timezone.localtime(e.at), "j M Y, H:i") for e in moves]
    client.force_login(seir)

    # when the SEiR opens the item
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("checklists:item", args=[item.pk])).content.decode()

    # then its history lists every move: when, who, from, to and the comment
    start = html.index('id="item-history"')
    history = html[start : html.index("</ol>", start)]
    assert [_text(li) for li in re.findall(r"<li.*?</li>", history, re.S)] == [
        f"{when[0]} · Automatically Accepted → Expired Expired: valid until {today:%-d %B %Y}.",
        f"{when[1]} · Samira Patel Submitted for review → Accepted",
        f"{when[2]} · Parveen Akhtar Returned → Submitted for review",
        f"{when[3]} · Samira Patel Submitted for review → Returned Unsigned: sign page 4.",
        f"{when[4]} · Parveen Akhtar In progress → Submitted for review",
        f"{when[5]} · Parveen Akhtar Not started → In progress",
    ]
    # as many as with the history rows (test_views pins 10): the history is one query
    assert len(queries) == 10


BEFORE = ("checklists", "0006_item_days")
STARTED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
SUBMITTED = datetime.datetime(2026, 3, 9, 10, 0, tzinfo=datetime.UTC)
RETURNED = datetime.datetime(2026, 3, 10, 16, 45, tzinfo=datetime.UTC)
ITEM = {"label": "Governing document", "section": "Legal"}


# Serialized rollback, as every transactional test here (see test_meeting_agreed_migration).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_status_rows_become_the_items_events_and_come_back():
    # given, under the old schema, an item started (its event about the item, as the
    # service writes it), submitted (an event about the row) and returned (no event)
    old = migrate(*BEFORE)
    try:
        world = venture_world(old, username="checklist-seir", venture="Saheli Hub")
        checklist = old.get_model("checklists", "Checklist").objects.create(
            venture=world.venture, created_at=STARTED
        )
        item = old.get_model("checklists", "ChecklistItem").objects.create(
            checklist=checklist, created_at=STARTED, status="returned", **ITEM
        )
        StatusChange = old.get_model("checklists", "StatusChange")
        rows = [
            StatusChange.objects.create(
                item=item,
                from_status=from_status,
                to_status=to_status,
                comment=comment,
                changed_by=actor,
                changed_at=at,
            )
            for from_status, to_status, comment, actor, at in [
                ("not_started", "in_progress", "", world.user, STARTED),
                ("in_progress", "submitted", "", world.user, SUBMITTED),
                ("submitted", "returned", "Unsigned.", None, RETURNED),
            ]
        ]
        ContentType = old.get_model("contenttypes", "ContentType")
        Event = old.get_model("events", "Event")
        for kind, subject, at, moved in [
            ("checklist.item_started", item, STARTED, ("not_started", "in_progress")),
            ("checklist.item_submitted", rows[1], SUBMITTED, ("in_progress", "submitted")),
        ]:
            Event.objects.create(
                at=at,
                recorded_at=at,
                kind=kind,
                actor=world.user,
                programme=world.programme,
                venture_id=world.venture.pk,
                venture_label="Saheli Hub",
                subject_type=ContentType.objects.get_for_model(subject),
                subject_id=str(subject.pk),
                subject_label="Governing document",
                data={
                    "item_id": item.pk,
                    **ITEM,
                    "from_status": moved[0],
                    "to_status": moved[1],
                },
            )

        # when the migrations run
        new = migrate()

        # then the three moves are events about the item, the last made from its row
        def expected(kind, actor, at, from_status, to_status, **comment):
            return (
                kind,
                "checklistitem",
                str(item.pk),
                "Governing document",
                actor,
                world.programme.pk,
                world.venture.pk,
                "Saheli Hub",
                at,
                at,
                {
                    "item_id": item.pk,
                    **ITEM,
                    "from_status": from_status,
                    "to_status": to_status,
                    **comment,
                },
            )

        assert events(new, kind__in=MOVE_KINDS) == [
            expected(
                "checklist.item_started", "checklist-seir", STARTED, "not_started", "in_progress"
            ),
            expected(
                "checklist.item_submitted", "checklist-seir", SUBMITTED, "in_progress", "submitted"
            ),
            expected(
                "checklist.item_returned",
                None,
                RETURNED,
                "submitted",
                "returned",
                comment="Unsigned.",
            ),
        ]
        assert "checklists_statuschange" not in connection.introspection.table_names()

        # when the migrations are undone
        back = migrate(*BEFORE)

        # then the rows come back from the events
        assert list(
            back.get_model("checklists", "StatusChange")
            .objects.order_by("changed_at")
            .values_list("item_id", "from_status", "to_status", "comment", "changed_by_id")
        ) == [
            (item.pk, "not_started", "in_progress", "", world.user.pk),
            (item.pk, "in_progress", "submitted", "", world.user.pk),
            (item.pk, "submitted", "returned", "Unsigned.", None),
        ]
    finally:
        # Every app back at its latest migration.
        migrate()
