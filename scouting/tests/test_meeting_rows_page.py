"""The meeting form's rows on the page (issue 20): rows sent the old way (parallel lists,
from a page or a draft kept before they were formsets) still log the meeting, a refused
row writes nothing and shows its message beside it and above the form, the page holds
an empty row of each kind for its script to copy, the draft of a full form is kept, and
the page's queries do not grow with the rows."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scouting.factories import PersonFactory
from scouting.meeting_forms import MAX_ROWS, rows_data
from scouting.models import FollowUp, Idea, Meeting, MeetingDraft, TalentNote
from scouting.tests.rows import rows_post
from tests.clients import client_for

pytestmark = pytest.mark.django_db


# --- rows sent the old way -------------------------------------------------------------


def test_rows_sent_as_parallel_lists_are_read_into_the_formsets():
    old = QueryDict(mutable=True)
    old.setlist("idea_title", ["Walking netball", ""])
    old.setlist("idea_need", ["Inactivity", ""])
    old.setlist("followup_what", ["Call", "Book"])
    old.setlist("followup_due", ["2026-11-01", "2026-11-02"])
    old.setlist("followup_early", ["2", "7", "x"])

    data = rows_data(old)

    assert {k: data[k] for k in data if "-" in k} == {
        "ideas-0-title": "Walking netball",
        "ideas-1-title": "",
        "ideas-0-need": "Inactivity",
        "ideas-1-need": "",
        "ideas-TOTAL_FORMS": "2",
        "ideas-INITIAL_FORMS": "0",
        "talent-TOTAL_FORMS": "1",
        "talent-INITIAL_FORMS": "0",
        "followups-0-what": "Call",
        "followups-1-what": "Book",
        "followups-0-due": "2026-11-01",
        "followups-1-due": "2026-11-02",
        "followups-1-early": "on",
        "followups-TOTAL_FORMS": "2",
        "followups-INITIAL_FORMS": "0",
    }
    assert old.getlist("followup_early") == ["2", "7", "x"]  # the request's data untouched


def test_rows_sent_as_formsets_are_left_as_they_are():
    sent = QueryDict(mutable=True)
    sent.update(rows_post(ideas=[{"title": "Walking netball"}]))
    sent["idea_title"] = "Ignored"
    assert rows_data(sent)["ideas-0-title"] == "Walking netball"
    assert "ideas-1-title" not in rows_data(sent)


def test_a_page_from_before_the_formsets_still_logs_its_rows(client, seir, programme, nadia):
    client.force_login(seir)

    response = client.post(
        reverse("scouting:meeting_log"),
        {
            "programme": programme.pk,
            "held_at": "2026-11-20T10:30",
            "meeting_type": "workshop",
            "attendees": [nadia.pk],
            "idea_title": ["Walking netball", ""],
            "idea_description": ["", ""],
            "idea_need": ["", ""],
            "idea_proposer": [str(nadia.pk), ""],
            "talent_person": [str(nadia.pk)],
            "talent_note": ["Natural organiser"],
            "followup_what": ["Call Nadia", "Book a room"],
            "followup_who": [str(seir.pk), str(seir.pk)],
            "followup_due": ["2026-11-01", "2026-12-01"],
            "followup_early": ["1"],
        },
    )

    assert response.status_code == 302
    assert [(i.title, list(i.proposers.all())) for i in Idea.objects.all()] == [
        ("Walking netball", [nadia])
    ]
    assert list(TalentNote.objects.values_list("person", "note")) == [
        (nadia.pk, "Natural organiser")
    ]
    assert list(FollowUp.objects.order_by("due").values_list("what", "due")) == [
        ("Call Nadia", datetime.date(2026, 11, 1)),
        ("Book a room", datetime.date(2026, 12, 1)),
    ]


# --- on the page -----------------------------------------------------------------------


def meeting(programme, **rows) -> dict:
    return {
        "programme": programme.pk,
        "held_at": "2026-11-20T10:30",
        "meeting_type": "workshop",
        "notes": "Keep these notes",
        **rows_post(**rows),
    }


def test_a_refused_row_writes_nothing_though_the_others_are_good(
    client, seir, programme, nadia, snapshot
):
    client.force_login(seir)
    before = snapshot()

    response = client.post(
        reverse("scouting:meeting_log"),
        {
            **meeting(
                programme,
                ideas=[{"title": "Walking netball", "proposer": str(nadia.pk)}],
                talent=[{"person": str(nadia.pk), "note": "Organiser"}],
                followups=[{"what": "Call"}, {"what": "Book", "due": "2026-13-01"}],
            ),
            "attendees": [nadia.pk],
        },
    )

    assert response.status_code == 400
    assert snapshot() == before
    assert not Meeting.objects.exists()


def test_a_refused_row_shows_its_message_beside_it_and_in_the_list_above(client, seir, programme):
    client.force_login(seir)

    body = client.post(
        reverse("scouting:meeting_log"),
        meeting(programme, ideas=[{"title": "ok"}, {"description": "No title"}]),
    ).content.decode()

    message = "Idea 2: give it a title."
    summary = body[body.index('id="form-errors"') :]
    assert f"<li>{message}</li>" in summary[: summary.index("</div>")]
    assert (
        'name="ideas-1-title" id="id_ideas-1-title" maxlength="200" value="" '
        'aria-invalid="true" aria-describedby="id_ideas-1-title-error">'
    ) in body
    assert (
        f'<p class="invalid-feedback d-block mt-0" id="id_ideas-1-title-error">{message}</p>'
        in body
    )
    # Every row typed comes back, with the count the formset reads.
    assert 'name="ideas-TOTAL_FORMS" value="2"' in body
    assert 'value="ok"' in body and "No title</textarea>" in body


def test_the_page_holds_an_empty_row_of_each_kind_to_copy(client, seir):
    body = client_for(seir).get(reverse("scouting:meeting_log")).content.decode()

    for kind, prefix in (("idea", "ideas"), ("talent", "talent"), ("followup", "followups")):
        template = body[body.index(f'<template id="{kind}-row-template">') :]
        assert f'name="{prefix}-__prefix__-' in template[: template.index("</template>")]
        assert f'name="{prefix}-TOTAL_FORMS" value="1"' in body
        assert f'name="{prefix}-0-' in body
    assert 'data-full="Up to 30 ideas in one meeting: log the rest in another."' in body


# --- queries ---------------------------------------------------------------------------


def queries(client, method, data=None) -> int:
    url = reverse("scouting:meeting_log")
    cache.clear()  # the bell's unread count too, as scouting/tests/test_queries.py counts
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data) if data else client.get(url)
    assert response.status_code == (400 if method == "post" else 200)
    return len(ctx.captured_queries)


def test_the_form_pages_queries_are_pinned_and_flat(client, seir, programme):
    """The rows add no query, however many there are: attendees and staff are read once
    (9 and 10 queries, as before the rows were formsets)."""
    client.force_login(seir)

    def refused(n) -> dict:
        people = [PersonFactory(programme=programme) for _ in range(n)]
        return {
            **meeting(
                programme,
                ideas=[{"title": f"Idea {i}", "proposer": str(p.pk)} for i, p in enumerate(people)],
                talent=[{"person": str(p.pk)} for p in people],
                followups=[{"what": f"Call {i}", "due": "2026-11-01"} for i in range(n)],
            ),
            "attendees": [p.pk for p in people],
        }

    small_page, small_refused = queries(client, "get"), queries(client, "post", refused(2))
    large_page, large_refused = queries(client, "get"), queries(client, "post", refused(25))

    assert small_page == large_page == GET_QUERIES
    assert small_refused == large_refused == REFUSED_QUERIES


GET_QUERIES = 9
REFUSED_QUERIES = 10


def test_the_draft_of_a_full_form_is_kept(client, seir):
    """Thirty rows of each kind, every field a key of its own, and the meeting's fields."""
    client.force_login(seir)
    data = {
        name: [""]
        for name in (
            "programme held_at meeting_type location notes attendees organisations "
            "submission_token _labels _organisation_labels new-name new-organisation "
            "new-job_title new-email"
        ).split()
    }
    for i in range(MAX_ROWS):
        for name in ("title", "description", "need", "proposer"):
            data[f"ideas-{i}-{name}"] = ["x"]
        for name in ("person", "note"):
            data[f"talent-{i}-{name}"] = ["x"]
        for name in ("what", "who", "due", "early"):
            data[f"followups-{i}-{name}"] = ["x"]

    response = client.post(
        reverse("scouting:draft_save"), {"data": data}, content_type="application/json"
    )

    assert response.json()["saved"] is True
    assert MeetingDraft.objects.get(user=seir).data == data
