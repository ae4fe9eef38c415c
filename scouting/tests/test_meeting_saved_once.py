"""Logging a meeting saves it once, through the shared one-time token (issue 20: it
replaced the meeting's own ``submission_key``). A double tap, or a retry after a lost
connection (at once, or from the draft kept on the phone long after), saves one meeting
and lands on it; a refusal uses nothing up."""

import datetime
import uuid

import pytest
from django.urls import reverse

from events.models import Event
from scouting.models import FollowUp, Meeting, MeetingDraft
from submissions.models import SubmissionToken
from submissions.services import ALREADY_SAVED, TOKEN_KEEP, submission_tokens_remove_expired
from tests.clients import client_for, texts
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db


def meeting_form(client):
    return page_form(client.get(reverse("scouting:meeting_log")).content, containing="held_at")


def typed(form, programme, **overrides) -> dict:
    return {
        **form.values,
        "programme": programme.pk,
        "held_at": "2026-11-20T10:30",
        "meeting_type": "event",
        "notes": "Twenty came",
        "followups-0-what": "Call back",
        **overrides,
    }


def landing(meeting) -> str:
    return reverse("scouting:meeting_detail", args=[meeting.pk]) + "?saved=1"


def test_a_double_tap_saves_one_meeting_and_both_land_on_it(seir, programme):
    # given: the rendered form, with its one-time token, and a draft being kept
    client = client_for(seir)
    form = meeting_form(client)
    assert form.values["submission_token"]
    client.post(
        reverse("scouting:draft_save"),
        {"data": {"notes": ["Twenty came"]}},
        content_type="application/json",
    )
    assert MeetingDraft.objects.filter(user=seir).exists()

    # when: it is sent twice
    first = client.post(reverse("scouting:meeting_log"), typed(form, programme))
    second = client.post(reverse("scouting:meeting_log"), typed(form, programme))

    # then: one meeting, one follow-up, one event; both answers land on it
    meeting = Meeting.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == landing(meeting)
    assert texts(first) == [f"Meeting saved: {meeting}."]
    assert texts(second)[-1] == ALREADY_SAVED
    assert FollowUp.objects.count() == 1
    assert Event.objects.filter(kind="scouting.meeting_logged").count() == 1
    token = SubmissionToken.objects.get()
    assert (token.user, str(token.token), token.target, token.kept) == (
        seir,
        form.values["submission_token"],
        meeting,
        True,
    )
    assert not MeetingDraft.objects.exists()


def test_two_rendered_forms_log_two_meetings(seir, programme):
    client = client_for(seir)
    for notes in ("First", "Second"):
        form = meeting_form(client)
        client.post(reverse("scouting:meeting_log"), typed(form, programme, notes=notes))

    assert sorted(Meeting.objects.values_list("notes", flat=True)) == ["First", "Second"]


def test_a_refusal_uses_nothing_up_and_the_corrected_meeting_saves_once(seir, programme, snapshot):
    client = client_for(seir)
    form = meeting_form(client)
    before = snapshot()

    refused = client.post(
        reverse("scouting:meeting_log"),
        typed(form, programme, **{"followups-0-due": "31/12/2026"}),
    )

    assert refused.status_code == 400
    assert "Follow-up 1: the due date must be a date." in refused.content.decode()
    assert snapshot() == before and SubmissionToken.objects.count() == 0
    shown = page_form(refused.content, containing="held_at")
    assert shown.values["submission_token"] == form.values["submission_token"]

    assert shown.values["followups-0-due"] == "31/12/2026"  # kept, to correct
    corrected = typed(shown, programme, **{"followups-0-due": "2026-12-31"})
    saved = client.post(reverse("scouting:meeting_log"), corrected)
    again = client.post(reverse("scouting:meeting_log"), corrected)

    meeting = Meeting.objects.get()
    assert saved["Location"] == again["Location"] == landing(meeting)
    assert list(FollowUp.objects.values_list("due", flat=True)) == [datetime.date(2026, 12, 31)]


def test_a_retry_from_the_draft_long_after_still_lands_on_the_meeting(seir, programme):
    """The draft kept on the phone carries the token onto a fresh page: sent again
    months later (past the keeping period of other forms' tokens), it still finds the
    meeting it saved."""
    client = client_for(seir)
    form = meeting_form(client)
    client.post(reverse("scouting:meeting_log"), typed(form, programme))
    meeting = Meeting.objects.get()
    SubmissionToken.objects.update(created_at=meeting.created_at - TOKEN_KEEP * 6)
    assert submission_tokens_remove_expired() == 0

    fresh = meeting_form(client)
    restored = typed(fresh, programme, submission_token=form.values["submission_token"])
    response = client.post(reverse("scouting:meeting_log"), restored)

    assert response["Location"] == landing(meeting)
    assert texts(response)[-1] == ALREADY_SAVED
    assert list(Meeting.objects.all()) == [meeting] and FollowUp.objects.count() == 1


def test_a_page_from_before_the_shared_token_still_saves_once(seir, programme):
    """A page rendered, or a draft restored, before the change sends ``submission_key``
    (a uuid4 in hex), which the form reads as its token."""
    client = client_for(seir)
    form = meeting_form(client)
    old = {k: v for k, v in typed(form, programme).items() if k != "submission_token"}
    old["submission_key"] = key = uuid.uuid4().hex

    first = client.post(reverse("scouting:meeting_log"), old)
    second = client.post(reverse("scouting:meeting_log"), old)

    meeting = Meeting.objects.get()
    assert first["Location"] == second["Location"] == landing(meeting)
    assert texts(second)[-1] == ALREADY_SAVED
    assert SubmissionToken.objects.get().token == uuid.UUID(key)


def test_without_a_token_each_post_logs_a_meeting(seir, programme):
    """As before the change: a POST without a token (not from the form) is not guarded."""
    client = client_for(seir)
    data = {
        "programme": programme.pk,
        "held_at": "2026-11-20T10:30",
        "meeting_type": "event",
    }
    for _ in range(2):
        assert client.post(reverse("scouting:meeting_log"), data).status_code == 302

    assert Meeting.objects.count() == 2 and SubmissionToken.objects.count() == 0
