"""The timeline and the staff audit read events: who sees what, filters, CSV, and query
counts that stay flat from 10 to 500 events."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Event, EventVisibility
from ventures import events, services
from ventures.factories import VentureFactory
from ventures.models import GateCondition, NoteVisibility

pytestmark = pytest.mark.django_db

# Pinned: the timeline page is ONE events query, whatever the history's length.
MAX_QUERIES = {"feed": 12, "timeline": 8, "activity_log": 14}


def bulk_events(n, *, venture, actor, start=0):
    """``n`` events about ``venture``, one minute apart, every tenth staff-only."""
    base = timezone.now() - datetime.timedelta(days=30)
    Event.objects.bulk_create(
        Event(
            at=base + datetime.timedelta(minutes=start + i),
            kind=events.NOTE_ADDED,
            actor=actor,
            programme_id=venture.programme_id,
            venture_id=venture.pk,
            venture_label=venture.name,
            data={"body": f"Note {start + i}", "visibility": "team"},
            visibility=EventVisibility.STAFF if (start + i) % 10 == 0 else EventVisibility.TEAM,
        )
        for i in range(n)
    )


def count_queries(client, url, params=None, **headers):
    client.get(url, params or {}, **headers)  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {}, **headers)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def people(seir, administrator, manager, commissioner, entrepreneur, other_seir):
    """Everyone, created first; their programme memberships' events are cleared so each
    test sees only the events it makes."""
    Event.objects.all().delete()


@pytest.fixture
def history(people, venture, other_venture, seir, administrator, entrepreneur, stages):
    """A little of everything, in two ventures, with a staff-only note."""
    Event.objects.all().delete()
    services.venture_note_add(
        actor=seir, venture=venture, body="Trustees are split.", visibility=NoteVisibility.STAFF
    )
    services.venture_note_add(
        actor=entrepreneur, venture=venture, body="Hall booked.", visibility=NoteVisibility.TEAM
    )
    condition = GateCondition.objects.get(stage=stages["idea"], label__startswith="Need")
    services.gate_condition_confirm(
        actor=administrator, venture=venture, condition=condition, evidence="JSNA 2009."
    )
    services.gate_condition_withdraw(actor=seir, venture=venture, condition=condition)
    services.venture_set_status(
        actor=seir, venture=other_venture, to_status="paused", reason="Funding gap."
    )
    return condition


def feed_url(programme):
    return reverse("events:programme_activity", args=[programme.pk])


def csv_url(programme):
    return reverse("events:programme_activity_export", args=[programme.pk])


def csv_rows(client, programme, params=None):
    response = client.get(csv_url(programme), params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def feed_kinds(client, programme, params=None):
    response = client.get(feed_url(programme), params or {})
    assert response.status_code == 200
    return [row.kind for row in response.context["page"].object_list]


# --- who sees the feed ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["administrator", "seir"])
def test_staff_see_every_event_including_staff_only(request, client, programme, history, role):
    client.force_login(request.getfixturevalue(role))
    kinds = feed_kinds(client, programme)
    assert kinds == [
        events.STATUS_CHANGED,
        events.GATE_WITHDRAWN,
        events.GATE_CONFIRMED,
        events.NOTE_ADDED,
        events.NOTE_ADDED,
    ]
    rows = csv_rows(client, programme)
    assert rows[0] == [
        "happened_at",
        "recorded_at",
        "kind",
        "kind_label",
        "actor",
        "venture_id",
        "venture",
        "subject",
        "visibility",
        "data",
    ]
    assert [r[2] for r in rows[1:]] == kinds
    assert [r[8] for r in rows[1:]] == ["team", "team", "team", "team", "staff only"]
    page = client.get(feed_url(programme)).content.decode()
    assert "Trustees are split." in page
    assert "SEiR only" in page


def test_manager_sees_the_feed_without_staff_only_events(client, programme, manager, history):
    client.force_login(manager)
    kinds = feed_kinds(client, programme)
    assert kinds == [
        events.STATUS_CHANGED,
        events.GATE_WITHDRAWN,
        events.GATE_CONFIRMED,
        events.NOTE_ADDED,
    ]
    rows = csv_rows(client, programme)
    assert [r[2] for r in rows[1:]] == kinds
    assert "Trustees are split." not in client.get(feed_url(programme)).content.decode()
    assert all(r[8] == "team" for r in rows[1:])


@pytest.mark.parametrize("role", ["entrepreneur", "commissioner", "other_seir"])
def test_others_are_refused_the_feed_and_its_csv(request, client, programme, history, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(feed_url(programme)).status_code == 404
    assert client.get(csv_url(programme)).status_code == 404


def test_programme_page_links_the_feed_only_for_those_who_may_read_it(
    client, programme, seir, entrepreneur
):
    url = reverse("programmes:detail", args=[programme.pk])
    client.force_login(seir)
    assert feed_url(programme) in client.get(url).content.decode()
    client.force_login(entrepreneur)
    assert feed_url(programme) not in client.get(url).content.decode()


# --- filters and CSV -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["administrator", "seir", "manager"])
def test_filters_by_kind_actor_venture_and_date(
    request, client, programme, venture, other_venture, seir, administrator, history, role
):
    client.force_login(request.getfixturevalue(role))
    assert feed_kinds(client, programme, {"kind": events.GATE_CONFIRMED}) == [events.GATE_CONFIRMED]
    assert feed_kinds(client, programme, {"actor": administrator.pk}) == [events.GATE_CONFIRMED]
    assert feed_kinds(client, programme, {"venture": other_venture.pk}) == [events.STATUS_CHANGED]
    today = timezone.localdate().isoformat()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert len(feed_kinds(client, programme, {"date_from": today, "date_to": today})) == (
        4 if role == "manager" else 5
    )
    assert feed_kinds(client, programme, {"date_from": tomorrow}) == []
    # the CSV has exactly the filtered rows
    rows = csv_rows(client, programme, {"venture": venture.pk, "kind": events.GATE_WITHDRAWN})
    assert len(rows) == 2
    [row] = rows[1:]
    assert row[2:8] == [
        events.GATE_WITHDRAWN,
        "Gate confirmation withdrawn",
        "Samira Patel",
        str(venture.pk),
        "Saheli Women's Centre",
        "Saheli Women's Centre: Need evidenced (local data or a needs assessment)",
    ]
    assert '"evidence": "JSNA 2009."' in row[9]


def test_csv_covers_every_page_in_the_feeds_order(client, programme, venture, seir):
    Event.objects.all().delete()
    bulk_events(120, venture=venture, actor=seir)
    client.force_login(seir)
    shown = []
    for page in (1, 2, 3):
        response = client.get(feed_url(programme), {"page": page})
        shown += [e.pk for e in response.context["page"].object_list]
    rows = csv_rows(client, programme)[1:]
    assert len(rows) == len(shown) == 120
    expected = list(Event.objects.filter(pk__in=shown).order_by("-at", "-id"))
    assert [r[0] for r in rows] == [
        timezone.localtime(e.at).isoformat(timespec="seconds") for e in expected
    ]


def test_csv_cells_cannot_run_as_formulas(client, programme, seir):
    services.venture_create(actor=seir, programme=programme, name="=HYPERLINK(evil)")
    client.force_login(seir)
    [row] = csv_rows(client, programme, {"kind": events.VENTURE_CREATED})[1:]
    assert row[6] == "'=HYPERLINK(evil)"


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "no.such_kind"},
        {"actor": "abc"},
        {"actor": "99999999999999999999"},
        {"venture": "-1"},
        {"date_from": "99999-01-01"},
        {"date_to": "2026-02-31"},
        {"page": "9999999999"},
        {"kind": "\x00" * 3},
        {"kind": "é" * 5000},
    ],
)
def test_hostile_filters_answer_200_not_500(client, programme, seir, history, params):
    client.force_login(seir)
    assert client.get(feed_url(programme), params).status_code == 200
    assert client.get(csv_url(programme), params).status_code == 200


# --- the venture's activity log tab ----------------------------------------------------------


def test_activity_log_tab_for_staff_only(
    client, venture, seir, manager, entrepreneur, administrator, history
):
    url = reverse("ventures:activity", args=[venture.pk])
    for user in (seir, administrator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert [e.kind for e in response.context["page"].object_list] == [
            events.GATE_WITHDRAWN,
            events.GATE_CONFIRMED,
            events.NOTE_ADDED,
            events.NOTE_ADDED,
        ]
        assert (
            "Activity log"
            in client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()
        )
    for user in (manager, entrepreneur):
        client.force_login(user)
        assert client.get(url).status_code == 404
        detail = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()
        assert url not in detail


# --- the timeline --------------------------------------------------------------------------


def test_timeline_hides_staff_only_events_from_the_team_and_managers(
    client, venture, seir, entrepreneur, manager, history
):
    url = reverse("ventures:detail", args=[venture.pk])
    client.force_login(seir)
    staff_view = client.get(url)
    assert [e.kind for e in staff_view.context["timeline"].events] == [
        events.GATE_WITHDRAWN,
        events.GATE_CONFIRMED,
        events.NOTE_ADDED,
        events.NOTE_ADDED,
    ]
    for user in (entrepreneur, manager):
        client.force_login(user)
        page = client.get(url)
        assert [e.data.get("body") for e in page.context["timeline"].events][-1] == "Hall booked."
        assert "Trustees are split." not in page.content.decode()
    html = staff_view.content.decode()
    assert "Confirmation withdrawn: Need evidenced" in html
    assert "JSNA 2009." in html


def test_show_older_pages_through_the_timeline(client, venture, seir):
    bulk_events(45, venture=venture, actor=seir)
    client.force_login(seir)
    first = client.get(reverse("ventures:detail", args=[venture.pk]))
    timeline = first.context["timeline"]
    assert [e.data["body"] for e in timeline.events] == [f"Note {i}" for i in range(44, 24, -1)]
    assert timeline.has_more
    older_url = reverse("ventures:timeline", args=[venture.pk])
    assert f'href="{older_url}?offset=20"' in first.content.decode()

    # htmx: the next entries and the next "Show older", as a partial
    second = client.get(older_url, {"offset": 20}, HTTP_HX_REQUEST="true")
    assert re.findall(r"Note (\d+)<", second.content.decode()) == [str(i) for i in range(24, 4, -1)]
    assert "<html" not in second.content.decode()
    assert "?offset=40" in second.content.decode()

    # without JavaScript: a full page, and the last page has no "Show older"
    last = client.get(older_url, {"offset": 40})
    assert [e.data["body"] for e in last.context["timeline"].events] == [
        f"Note {i}" for i in range(4, -1, -1)
    ]
    assert "<html" in last.content.decode()
    assert "Show older" not in last.content.decode()


@pytest.mark.parametrize("offset", ["-5", "abc", "99999999999999999999", "\x00"])
def test_hostile_offsets_answer_200(client, venture, seir, offset):
    client.force_login(seir)
    response = client.get(reverse("ventures:timeline", args=[venture.pk]), {"offset": offset})
    assert response.status_code == 200


def test_timeline_of_an_invisible_venture_is_404(client, venture, other_seir):
    client.force_login(other_seir)
    assert client.get(reverse("ventures:timeline", args=[venture.pk])).status_code == 404


# --- query counts at 10 and 500 events -------------------------------------------------------


@pytest.mark.parametrize(
    ("which", "url_name", "params", "headers"),
    [
        ("feed", "events:programme_activity", {}, {}),
        ("feed", "events:programme_activity", {"kind": events.NOTE_ADDED, "page": "2"}, {}),
        ("timeline", "ventures:timeline", {"offset": "5"}, {"HTTP_HX_REQUEST": "true"}),
        ("activity_log", "ventures:activity", {}, {}),
    ],
)
def test_query_counts_do_not_grow_with_events(
    client,
    programme,
    venture,
    seir,
    django_assert_max_num_queries,
    which,
    url_name,
    params,
    headers,
):
    # given: 10 events
    bulk_events(10, venture=venture, actor=seir)
    other = VentureFactory(programme=programme, name="Other", seir=seir)
    client.force_login(seir)
    arg = programme.pk if which == "feed" else venture.pk
    url = reverse(url_name, args=[arg])
    at_ten = count_queries(client, url, params, **headers)

    # when: 500 events over two ventures
    bulk_events(440, venture=venture, actor=seir, start=10)
    bulk_events(50, venture=other, actor=seir)

    # then
    assert at_ten <= MAX_QUERIES[which]
    with django_assert_max_num_queries(at_ten):
        assert client.get(url, params, **headers).status_code == 200


def test_venture_page_does_not_grow_with_events(
    client, venture, seir, django_assert_max_num_queries
):
    bulk_events(10, venture=venture, actor=seir)
    client.force_login(seir)
    url = reverse("ventures:detail", args=[venture.pk])
    at_ten = count_queries(client, url)
    bulk_events(490, venture=venture, actor=seir, start=10)
    with django_assert_max_num_queries(at_ten):
        assert client.get(url).status_code == 200


def test_past_the_cap_the_feed_says_more_than_and_the_csv_has_everything(
    monkeypatch, client, programme, seir, venture, people
):
    from seir import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    bulk_events(5, venture=venture, actor=seir)
    client.force_login(seir)

    page = client.get(feed_url(programme)).content.decode()

    assert "More than 3 events. The list shows the latest 3" in page
    assert len(csv_rows(client, programme)) == 1 + 5
