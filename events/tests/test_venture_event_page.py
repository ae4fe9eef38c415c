"""A venture's timeline page (``venture_event_page``): the newest events first, a page at
a time, with their actors, in one query; and on PostgreSQL the prepared statement's
generic plan, planned for the average venture of one or two events, still reads only
the page's events of a venture with a long history rather than all of them."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.factories import ProgrammeFactory, UserFactory
from accounts.models import User
from events.models import Event, EventVisibility
from events.selectors import venture_event_page

pytestmark = pytest.mark.django_db

LONG = 1_000_001  # the venture with a long history (venture_id is a plain number)


@pytest.fixture
def histories():
    programme = ProgrammeFactory()
    actors = [UserFactory(first_name=f"Actor{i}", last_name="Person") for i in range(3)]
    # The programme's other people: a table of people few enough to read whole.
    User.objects.bulk_create([User(username=f"person{i}", password="!") for i in range(40)])
    start = timezone.now() - datetime.timedelta(days=400)
    events = [
        # 400 ventures of one event each: the average a generic plan is made for.
        Event(
            at=start,
            kind="venture.created",
            programme=programme,
            venture_id=venture_id,
            visibility=EventVisibility.TEAM,
        )
        for venture_id in range(1, 401)
    ] + [
        Event(
            at=start + datetime.timedelta(hours=i),
            kind="venture.note_added",
            actor=actors[i % 3] if i % 7 else None,
            programme=programme,
            venture_id=LONG,
            visibility=EventVisibility.STAFF if i % 5 == 0 else EventVisibility.TEAM,
            data={"number": i},
        )
        for i in range(150)
    ]
    Event.objects.bulk_create(events)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Planner statistics as a live database has them: a small table of people.
            cursor.execute("ANALYZE events_event")
            cursor.execute("ANALYZE accounts_user")
    return actors


def _numbers(events):
    return [event.data["number"] for event in events]


def test_a_page_is_the_newest_events_with_their_actors_in_one_query(
    histories, django_assert_num_queries
):
    with django_assert_num_queries(1):
        events, more = venture_event_page(
            venture_id=LONG, visibilities={"team", "staff"}, offset=0, limit=20
        )
        names = [event.actor.first_name if event.actor else None for event in events]
    assert _numbers(events) == list(range(149, 129, -1))
    assert more is True
    assert names == [histories[i % 3].first_name if i % 7 else None for i in range(149, 129, -1)]


def test_later_pages_the_team_only_and_the_last_page(histories):
    team, more = venture_event_page(venture_id=LONG, visibilities={"team"}, offset=20, limit=20)
    shown = [i for i in range(149, -1, -1) if i % 5]
    assert _numbers(team) == shown[20:40]
    assert more is True
    last, more = venture_event_page(
        venture_id=LONG, visibilities={"team", "staff"}, offset=140, limit=20
    )
    assert _numbers(last) == list(range(9, -1, -1))
    assert more is False
    excluded, _ = venture_event_page(
        venture_id=LONG,
        visibilities={"team", "staff"},
        offset=0,
        limit=20,
        exclude_kinds=["venture.note_added"],
    )
    assert excluded == []


def _index_scans(node: dict):
    if node.get("Index Name") == "event_venture_at":
        yield node
    for child in node.get("Plans", []):
        yield from _index_scans(child)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared plans")
def test_the_generic_plan_reads_only_the_pages_events(histories):
    with CaptureQueriesContext(connection) as captured:
        for _ in range(2):
            venture_event_page(venture_id=LONG, visibilities={"team", "staff"}, offset=0, limit=20)
    executes = [
        found.group(0)
        for query in captured.captured_queries
        if (found := re.search(r"EXECUTE seir_\d+ \(.*\)$", query["sql"]))
    ]
    assert executes, "the timeline's page is a server-prepared statement"
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        try:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + executes[-1])
            [[plan]] = cursor.fetchall()
        finally:
            cursor.execute("RESET plan_cache_mode")
    plan = plan if isinstance(plan, list) else json.loads(plan)
    scans = list(_index_scans(plan[0]["Plan"]))
    assert scans, plan
    # The page and one more (to tell whether older ones exist): 21 of the 150.
    assert [scan["Actual Rows"] for scan in scans] == [21], plan
