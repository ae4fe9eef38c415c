"""Query counts of the pipeline pages must not grow with the number of ventures (no N+1)."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ventures import services
from ventures.factories import VentureFactory
from ventures.models import (
    FieldChange,
    GateCondition,
    GateConfirmation,
    NoteVisibility,
    StageChange,
)

pytestmark = pytest.mark.django_db

# Pinned at today's counts (SQLite and PostgreSQL alike): a new query on one of these
# pages must be a deliberate change made here, and a per-venture query fails at once.
# list: session, user, memberships, team and read-only grants, count, rows; the filter's
# choices come from the reference cache once warm (seir.refcache).
# board: one query per gate kind present on the board, not per column.
MAX_QUERIES = {"list": 9, "board": 13, "detail": 19}

STAGE_CODES = ["idea", "startup", "pilot", "growth", "scale"]


def add_ventures(n, *, programme, seir, leads, legal_forms, start):
    """``n`` ventures spread over every stage (so every board column has cards), with a
    lead, a SEiR, a legal form and a gate confirmation each, as real ones have."""
    codes = itertools.cycle(STAGE_CODES)
    forms = itertools.cycle([legal_forms["cic"], legal_forms["not-incorporated"], None])
    people = itertools.cycle(leads)
    ventures = []
    for index in range(start, start + n):
        ventures.append(
            VentureFactory(
                programme=programme,
                stage_code=next(codes),
                name=f"Venture {index:03d}",
                seir=seir,
                lead=next(people),
                legal_form=next(forms),
                # Entered its stage on one of the last 30 days (never today), so the
                # "more than 0 days in stage" filter shows every one of them.
                history=timezone.now() - datetime.timedelta(days=1 + index % 30),
            )
        )
    conditions = {
        c.stage_id: c
        for c in GateCondition.objects.filter(stage__programme=programme, kind="confirmed")
    }
    GateConfirmation.objects.bulk_create(
        GateConfirmation(
            venture=v,
            condition=conditions[v.stage_id],
            confirmed_by=seir,
            confirmed_at=v.created_at,
            evidence="Seen.",
        )
        for v in ventures
    )
    return ventures


def count_queries(client, url, **params):
    client.get(url, params)  # warm per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def pipeline(programme, seir, entrepreneur, other_entrepreneur, legal_forms):
    def grow(n, start):
        return add_ventures(
            n,
            programme=programme,
            seir=seir,
            leads=[entrepreneur, other_entrepreneur, None],
            legal_forms=legal_forms,
            start=start,
        )

    return grow


def _consume(response):
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def measure(client, url, params):
    _consume(client.get(url, params))  # warm per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as captured:
        response = _consume(client.get(url, params))
    assert response.status_code == 200
    return len(captured.captured_queries)


# Every pipeline page, with the exact number of queries it runs: the same with 10 and
# with 200 ventures (what a page costs depends on what it shows, not on the data).
PIPELINE_PAGES = [
    # Session, user, memberships, team grants, the count up to the cap, the page's ids,
    # the page's rows (the ids first: the rows' query is then cheaper to compile and plan).
    ("list", "ventures:list", {}, 7),
    ("list", "ventures:list", {"stage": "idea", "sort": "-entered", "page": "2"}, 7),
    # Sorted by stage, the rows counted under the cap: their ids read with their stages'
    # order and sorted, as above (past the cap: the next test).
    ("list", "ventures:list", {"q": "venture 0", "sort": "stage"}, 7),
    ("list", "ventures:list", {"sort": "entered", "status": "active", "origin": "community"}, 7),
    ("list", "ventures:list", {"sort": "-updated", "stale_days": "0"}, 7),
    # Session, user, memberships, team grants, counts, the ids of every column, the
    # cards, one per gate kind present (confirmed, plans' plan approved, checklists'
    # items done, commissioning's contract). The programmes, the stages, their gate
    # conditions and the moves are reference data (ventures.reference): no query.
    ("board", "ventures:board", {}, 11),
    ("export", "ventures:export", {}, 5),
    ("export", "ventures:export", {"q": "venture", "sort": "-entered"}, 5),
]


@pytest.mark.parametrize(("which", "url_name", "params", "pinned"), PIPELINE_PAGES)
def test_pipeline_pages_do_not_grow_with_ventures(
    client, seir, pipeline, which, url_name, params, pinned
):
    # given: 10 ventures
    first = pipeline(10, start=0)
    client.force_login(seir)
    url = reverse(url_name)
    at_ten = measure(client, url, params)

    # when: 200 ventures
    pipeline(190, start=10)

    # then: exactly as many queries as with 10, and exactly the pinned number
    assert len(first) == 10
    assert at_ten == pinned
    assert measure(client, url, params) == at_ten
    assert at_ten <= MAX_QUERIES.get(which, pinned)


@pytest.mark.parametrize("params", [{"sort": "stage"}, {"q": "venture", "sort": "-stage"}])
def test_the_stage_sorted_list_past_the_cap_does_not_grow(
    monkeypatch, client, seir, pipeline, params
):
    """Past the cap: + the stages, each stage order's count up to the page (the ids and
    the rows as above)."""
    from ventures.views import listing

    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 5)
    pipeline(10, start=0)
    client.force_login(seir)
    url = reverse("ventures:list")
    at_ten = measure(client, url, params)

    pipeline(190, start=10)

    assert at_ten == 9
    assert measure(client, url, params) == at_ten


def test_board_column_and_card_do_not_grow_with_ventures(client, seir, pipeline, stages):
    # given
    ventures = pipeline(10, start=0)
    client.force_login(seir)
    column = reverse("ventures:board_column", args=[stages["idea"].pk])
    card = reverse("ventures:card", args=[ventures[0].pk])
    small = (measure(client, column, {"offset": "0"}), measure(client, card, {}))

    # when
    pipeline(190, start=10)

    # then
    assert (measure(client, column, {"offset": "0"}), measure(client, card, {})) == small
    assert measure(client, column, {"offset": "20"}) == small[0]


def test_venture_page_does_not_grow_with_ventures(
    client, seir, venture, pipeline, django_assert_max_num_queries
):
    # given
    pipeline(9, start=0)
    client.force_login(seir)
    url = reverse("ventures:detail", args=[venture.pk])
    at_ten = count_queries(client, url)

    # when
    pipeline(190, start=9)

    # then
    assert at_ten <= MAX_QUERIES["detail"]
    with django_assert_max_num_queries(at_ten):
        assert client.get(url).status_code == 200


def test_venture_page_does_not_grow_with_history(
    client, seir, venture, stages, django_assert_max_num_queries
):
    # given: one of everything in the history
    def add_history(n):
        for _ in range(n):
            services.venture_note_add(
                actor=seir, venture=venture, body="Staff note.", visibility=NoteVisibility.STAFF
            )
            services.venture_note_add(
                actor=seir, venture=venture, body="Team note.", visibility=NoteVisibility.TEAM
            )
            venture.refresh_from_db()
            [change] = services.venture_update_profile(
                actor=seir,
                venture=venture,
                data={"area": f"Area {venture.version}"},
                expected_version=venture.version,
            )
            services.venture_set_status(
                actor=seir, venture=venture, to_status="paused", reason="Pause."
            )
            services.venture_set_status(actor=seir, venture=venture, to_status="active")
            StageChange.objects.create(
                venture=venture,
                from_stage=stages["idea"],
                to_stage=stages["idea"],
                changed_by=seir,
                changed_at=change.changed_at,
            )
        return change

    add_history(1)
    client.force_login(seir)
    url = reverse("ventures:detail", args=[venture.pk])
    at_one = count_queries(client, url)

    # when
    last = add_history(30)
    services.venture_revert_change(actor=seir, change=last)

    # then
    assert FieldChange.objects.filter(venture=venture).count() == 32
    assert at_one <= MAX_QUERIES["detail"]
    with django_assert_max_num_queries(at_one):
        assert client.get(url).status_code == 200
