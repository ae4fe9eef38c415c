"""The meeting's edit and delete pages: who reaches them, what a save or a refusal shows,
and that a refused form keeps what was typed."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from scouting import services
from scouting.factories import FollowUpFactory
from scouting.models import Meeting
from scouting.services.meetings import MeetingInput, meeting_log
from scouting.tests.test_tallies import at

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 10, 6)


@pytest.fixture
def logged(seir, programme, nadia):
    return meeting_log(
        actor=seir,
        programme=programme,
        meeting=MeetingInput(
            held_at=at(DAY),
            meeting_type="one_to_one",
            location="Saheli Hub",
            notes="First notes",
            attendees=[nadia],
        ),
    )


def _edit_url(meeting):
    return reverse("scouting:meeting_edit", args=[meeting.pk])


def _delete_url(meeting):
    return reverse("scouting:meeting_delete", args=[meeting.pk])


def _sent(meeting, **typed):
    """What the edit page sends untouched, with ``typed`` over it."""
    return {
        "held_at": "2026-10-06T10:00",
        "meeting_type": "one_to_one",
        "location": "Saheli Hub",
        "notes": "First notes",
        "attendees": [p.pk for p in meeting.attendees.all()],
        "organisations": [o.pk for o in meeting.organisations.all()],
        "seen_at": meeting.updated_at.isoformat(),
        **typed,
    }


def _named(body: str) -> str:
    """The follow-ups the page's box confirms, as the page carries them."""
    found = re.search(r'<input type="hidden" name="followups_named" value="([^"]*)"', body)
    assert found is not None
    return found[1]


def _followup(meeting, assignee, what, due):
    """An open follow-up of ``meeting``."""
    return FollowUpFactory(
        programme=meeting.programme, meeting=meeting, assignee=assignee, what=what, due=due
    )


def _said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_meeting_page_offers_edit_and_delete_to_its_seir(client, seir, logged):
    client.force_login(seir)
    body = client.get(reverse("scouting:meeting_detail", args=[logged.pk])).content.decode()
    assert f'href="{_edit_url(logged)}"' in body
    assert f'href="{_delete_url(logged)}"' in body


def test_the_edit_page_is_the_log_form_filled_in(client, seir, logged, nadia, saheli):
    client.force_login(seir)
    response = client.get(_edit_url(logged))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="2026-10-06T10:00"' in body
    assert "First notes</textarea>" in body
    assert f'name="attendees" value="{nadia.pk}"' in body
    assert f'<option value="{saheli.pk}" selected>' in body
    assert f'name="seen_at" value="{logged.updated_at.isoformat()}"' in body
    # Not the log page's draft: editing never touches the SEiR's unfinished meeting.
    assert "data-draft-url" not in body and "Ideas surfaced" not in body


@pytest.mark.parametrize("who", ["other_seir", "manager", "commissioner", "entrepreneur"])
def test_no_one_else_reaches_the_edit_or_delete_page(client, request, who, logged):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_edit_url(logged)).status_code == 404
    assert client.post(_edit_url(logged), _sent(logged, notes="Not mine")).status_code == 404
    assert client.get(_delete_url(logged)).status_code == 404
    assert client.post(_delete_url(logged)).status_code == 404
    logged.refresh_from_db()
    assert logged.notes == "First notes"


def test_a_corrected_meeting_is_saved_and_shown(client, seir, logged, dr_lee):
    client.force_login(seir)
    response = client.post(
        _edit_url(logged), _sent(logged, notes="Corrected", attendees=[dr_lee.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("scouting:meeting_detail", args=[logged.pk])
    # Dr Lee's surgery came with him, as when logging.
    assert _said(response) == [
        "Meeting saved: you changed the notes, the attendees and the organisations represented."
    ]
    logged.refresh_from_db()
    assert logged.notes == "Corrected"
    assert list(logged.attendees.all()) == [dr_lee]


def test_a_time_the_page_shows_to_the_minute_is_left_as_it_was(client, seir, logged):
    """A meeting held at 10:00:42 (imported, or made by demo data) shows 10:00: sending
    the page back untouched must not move it to 10:00:00."""
    exact = at(DAY, datetime.time(10, 0, 42, 5))
    Meeting.objects.filter(pk=logged.pk).update(held_at=exact)
    logged.refresh_from_db()
    client.force_login(seir)
    response = client.post(_edit_url(logged), _sent(logged, notes="Only the notes"))
    assert _said(response) == ["Meeting saved: you changed the notes."]
    logged.refresh_from_db()
    assert (logged.held_at, logged.notes) == (exact, "Only the notes")


def test_a_date_out_of_range_is_refused_keeping_what_was_typed(client, seir, logged, dr_lee):
    client.force_login(seir)
    response = client.post(
        _edit_url(logged),
        _sent(logged, held_at="1999-01-01T10:00", notes="Typed", attendees=[dr_lee.pk]),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "That date is too far in the past." in body
    assert "\nTyped</textarea>" in body
    assert f'name="attendees" value="{dr_lee.pk}"' in body
    logged.refresh_from_db()
    assert logged.notes == "First notes"


def test_a_stale_edit_names_what_changed_and_keeps_the_typing(client, seir, logged, snapshot):
    client.force_login(seir)
    sent = _sent(logged, notes="My notes")
    services.meeting_update(actor=seir, meeting=logged, changes={"location": "Library"})
    before = snapshot()

    response = client.post(_edit_url(logged), sent)

    assert response.status_code == 409
    body = response.content.decode()
    assert "changed by someone else while you were editing" in body
    assert "Location is now “Library”" in body
    assert "\nMy notes</textarea>" in body
    assert snapshot() == before
    logged.refresh_from_db()
    assert (logged.notes, logged.location) == ("First notes", "Library")

    # Sent again from that page (it carries the new seen_at): saved.
    logged.refresh_from_db()
    again = {**sent, "location": "Library", "seen_at": logged.updated_at.isoformat()}
    assert client.post(_edit_url(logged), again).status_code == 302
    logged.refresh_from_db()
    assert (logged.notes, logged.location) == ("My notes", "Library")


def test_delete_asks_first_then_deletes_and_a_second_post_says_so(client, seir, logged):
    client.force_login(seir)
    page = client.get(_delete_url(logged))
    assert page.status_code == 200
    assert "Delete this meeting?" in page.content.decode()
    assert Meeting.objects.filter(pk=logged.pk).exists()

    response = client.post(_delete_url(logged))
    assert response.status_code == 302
    assert response["Location"] == reverse("scouting:meeting_list")
    assert _said(response) == [f"Meeting deleted: {logged}."]
    assert not Meeting.objects.exists()
    client.get(response["Location"])  # the list page shows (and uses up) the message

    again = client.post(_delete_url(logged))
    assert again.status_code == 302
    assert again["Location"] == reverse("scouting:meeting_list")
    assert _said(again) == ["This meeting was already deleted."]


def test_a_meeting_ideas_came_from_is_kept_with_a_message_naming_them(
    client, seir, programme, logged
):
    services.idea_create(
        actor=seir, programme=programme, title="Walking netball", source_meetings=[logged]
    )
    client.force_login(seir)
    response = client.post(_delete_url(logged))
    assert response.status_code == 302
    assert response["Location"] == reverse("scouting:meeting_detail", args=[logged.pk])
    assert _said(response) == [
        "An idea came from this meeting: “Walking netball”. Deleting it would leave the "
        "idea without the meeting it came from; correct the meeting instead."
    ]
    assert Meeting.objects.filter(pk=logged.pk).exists()


def test_a_deleted_meeting_of_another_programme_is_not_announced(client, seir, other_seir, logged):
    """A second POST says "already deleted" only to those who could see the meeting."""
    client.force_login(seir)
    client.post(_delete_url(logged))
    client.force_login(other_seir)
    assert client.post(_delete_url(logged)).status_code == 404


def test_a_later_date_putting_follow_ups_before_the_meeting_asks_first(
    client, seir, programme, logged, dr_lee, snapshot
):
    # given an open follow-up of the meeting due the day after it
    _followup(logged, seir, "Send the deck", datetime.date(2026, 10, 7))
    client.force_login(seir)
    page = client.get(_edit_url(logged)).content.decode()
    assert "before_meeting_confirmed" not in page  # nothing to confirm: not offered
    before = snapshot()
    sent = _sent(logged, held_at="2026-10-09T10:00", notes="Typed", attendees=[dr_lee.pk])

    # when the meeting is moved to the 9th
    response = client.post(_edit_url(logged), sent)

    # then nothing is saved; the follow-up is named beside the date, what was typed is
    # kept, and a box to keep its date is offered, described by that message
    assert response.status_code == 400
    body = response.content.decode()
    said = escape(
        "“Send the deck” is due on 7 Oct 2026, before the meeting's new date (9 Oct 2026): "
        "confirm that date or correct the meeting's date."
    )
    assert f"<li>Date and time: {said}</li>" in body
    assert re.search(
        r'<div id="id_held_at_error" class="invalid-feedback">\s*'
        rf'<span id="error_1_id_held_at"><strong>{re.escape(said)}</strong>',
        body,
    )
    box = re.search(r'<input type="checkbox" name="before_meeting_confirmed"[^>]*>', body)
    assert box is not None and 'id="id_before_meeting_confirmed"' in box[0]
    assert 'aria-describedby="id_held_at_error"' in box[0] and "checked" not in box[0]
    assert re.search(
        r'<label for="id_before_meeting_confirmed"[^>]*>\s*Yes, before the meeting: keep '
        r"the follow-ups&#x27; dates\s*</label>",
        body,
    )
    assert 'value="2026-10-09T10:00"' in body
    assert "\nTyped</textarea>" in body
    assert f'name="attendees" value="{dr_lee.pk}"' in body
    assert snapshot() == before
    logged.refresh_from_db()
    assert (logged.held_at, logged.notes) == (at(DAY), "First notes")

    # when it is sent again with the box ticked (and the follow-ups it names, as the page
    # carries them)
    named = _named(body)
    assert named == str(logged.followups.get().pk)
    response = client.post(
        _edit_url(logged), {**sent, "before_meeting_confirmed": "on", "followups_named": named}
    )

    # then it is saved, the follow-up keeping its date
    assert response.status_code == 302
    assert _said(response) == [
        "Meeting saved: you changed the date and time, the notes, the attendees and the "
        "organisations represented."
    ]
    logged.refresh_from_db()
    assert (logged.held_at, logged.notes) == (at(datetime.date(2026, 10, 9)), "Typed")
    assert logged.followups.get().due == datetime.date(2026, 10, 7)


def test_a_tick_given_for_one_follow_up_does_not_keep_another_a_later_date_puts_before(
    client, seir, programme, logged, snapshot
):
    # given two open follow-ups, due on the 7th and the 12th
    deck = _followup(logged, seir, "Send the deck", datetime.date(2026, 10, 7))
    call = _followup(logged, seir, "Call Nadia", datetime.date(2026, 10, 12))
    client.force_login(seir)
    before = snapshot()

    # when the meeting is moved to the 9th, the page asks about the deck alone
    body = client.post(_edit_url(logged), _sent(logged, held_at="2026-10-09T10:00")).content
    assert _named(body.decode()) == str(deck.pk)

    # and the box is ticked, but the date moved on to the 14th before saving
    def ticked(named: str):
        """Sent for the 14th with the box ticked, confirming the follow-ups ``named``."""
        return client.post(
            _edit_url(logged),
            _sent(
                logged,
                held_at="2026-10-14T10:00",
                before_meeting_confirmed="on",
                followups_named=named,
            ),
        )

    response = ticked(str(deck.pk))

    # then nothing is saved: both are named, the box is offered again unticked, and it
    # now confirms both
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        escape(
            "“Send the deck” (due 7 Oct 2026) and “Call Nadia” (due 12 Oct 2026) are due before "
            "the meeting's new date (14 Oct 2026): confirm those dates or correct the "
            "meeting's date."
        )
        in body
    )
    box = re.search(r'<input type="checkbox" name="before_meeting_confirmed"[^>]*>', body)
    assert box is not None and "checked" not in box[0]
    assert _named(body) == f"{deck.pk},{call.pk}"
    assert snapshot() == before

    # a page altered to send something else than ids confirms nothing (asked again)
    assert ticked(f"{deck.pk},{call.pk},x").status_code == 400
    assert snapshot() == before

    # when ticked again and sent: saved, both keeping their dates
    response = ticked(_named(body))
    assert response.status_code == 302
    logged.refresh_from_db()
    assert logged.held_at == at(datetime.date(2026, 10, 14))
    assert sorted(logged.followups.values_list("due", flat=True)) == [
        datetime.date(2026, 10, 7),
        datetime.date(2026, 10, 12),
    ]


def test_a_ticked_box_stays_in_sight_when_the_form_is_refused_for_something_else(
    client, seir, logged
):
    client.force_login(seir)
    response = client.post(
        _edit_url(logged),
        _sent(logged, held_at="1999-01-01T10:00", before_meeting_confirmed="on"),
    )
    assert response.status_code == 400
    box = re.search(
        r'<input type="checkbox" name="before_meeting_confirmed"[^>]*>', response.content.decode()
    )
    assert box is not None and "checked" in box[0]
