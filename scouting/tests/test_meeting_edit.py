"""Correcting a logged meeting (``meeting_update``) and removing one (``meeting_delete``):
only what the person changed is written, a stale edit is refused, the summary rows the
dashboards read stay equal to a recount from the meetings, and only those who may log
meetings in the programme may do either."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from events.models import Event
from scouting import services
from scouting.factories import FollowUpFactory, OrganisationFactory, PersonFactory
from scouting.models import (
    ANY_TYPE,
    EVERY_MEETING,
    FollowUp,
    Idea,
    IdeaSource,
    Meeting,
    MeetingTally,
    Sector,
    TalentNote,
)
from scouting.permissions import can_edit_meeting
from scouting.services.meetings import FollowUpRow, MeetingInput, TalentRow, meeting_log
from scouting.tests.test_tallies import assert_in_step, at, stored_meetings, stored_sources

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 10, 6)
LATER = datetime.date(2026, 10, 9)


@pytest.fixture
def logged(seir, programme, saheli, nadia):
    """A one-to-one on DAY with Nadia (Saheli, a community group), one talent note."""
    return meeting_log(
        actor=seir,
        programme=programme,
        meeting=MeetingInput(
            held_at=at(DAY),
            meeting_type="one_to_one",
            location="Saheli Hub",
            notes="First notes",
            attendees=[nadia],
            talent=[TalentRow(person=nadia, note="Organiser")],
        ),
    )


def _events(kind):
    return list(Event.objects.filter(kind=f"scouting.{kind}").values_list("subject_id", "data"))


def test_a_changed_note_is_all_that_is_written(seir, logged, saheli, nadia):
    # given the meeting as logged
    tallies = list(MeetingTally.objects.order_by("pk").values_list("pk", flat=True))
    seen_at = logged.updated_at.isoformat()

    # when its notes alone are corrected
    changed = services.meeting_update(
        actor=seir,
        meeting=logged,
        changes={"notes": "Corrected notes", "location": "Saheli Hub", "attendees": [nadia]},
        seen_at=seen_at,
    )

    # then only the notes changed, one event says so, and no summary row was rewritten
    assert changed == ["notes"]
    logged.refresh_from_db()
    assert (logged.notes, logged.location, logged.held_at) == (
        "Corrected notes",
        "Saheli Hub",
        at(DAY),
    )
    assert list(logged.attendees.all()) == [nadia]
    assert list(logged.organisations.all()) == [saheli]
    assert logged.updated_at.isoformat() != seen_at
    assert _events("meeting_changed") == [(str(logged.pk), {"fields": ["notes"]})]
    assert list(MeetingTally.objects.order_by("pk").values_list("pk", flat=True)) == tallies


def test_a_save_with_nothing_changed_writes_nothing(seir, logged, nadia, saheli, snapshot):
    before, updated_at = snapshot(), logged.updated_at

    changed = services.meeting_update(
        actor=seir,
        meeting=logged,
        changes={"notes": "First notes", "attendees": [nadia], "organisations": [saheli]},
        seen_at=updated_at.isoformat(),
    )

    assert changed == []
    logged.refresh_from_db()
    assert logged.updated_at == updated_at
    assert snapshot() == before


def test_a_new_date_type_and_organisation_move_the_counts(seir, programme, logged, surgery):
    # given an idea that came from the meeting (counted on DAY, community group)
    idea = services.idea_create(
        actor=seir, programme=programme, title="Walking netball", source_meetings=[logged]
    )
    assert stored_meetings(programme) == {
        (DAY, seir.pk, "one_to_one", EVERY_MEETING): 1,
        (DAY, seir.pk, ANY_TYPE, Sector.COMMUNITY_GROUP): 1,
    }

    # when the meeting is moved to LATER, made a workshop, and the surgery (GP) replaces
    # Saheli among the organisations represented
    changed = services.meeting_update(
        actor=seir,
        meeting=logged,
        changes={"held_at": at(LATER), "meeting_type": "workshop", "organisations": [surgery]},
    )

    # then it counts on LATER only, as a workshop, in the GP sector only: exactly what a
    # recount from the meetings gives, and the idea's source rows moved with it
    assert changed == ["held_at", "meeting_type", "organisations"]
    assert stored_meetings(programme) == {
        (LATER, seir.pk, "workshop", EVERY_MEETING): 1,
        (LATER, seir.pk, ANY_TYPE, Sector.GP_PRACTICE): 1,
    }
    assert stored_sources(programme) == {
        (idea.pk, LATER, seir.pk, EVERY_MEETING),
        (idea.pk, LATER, seir.pk, Sector.GP_PRACTICE),
    }
    assert_in_step(programme)


def test_an_added_attendee_brings_their_organisation_and_a_removed_one_leaves_it(
    seir, programme, logged, nadia, dr_lee, saheli, surgery
):
    changed = services.meeting_update(actor=seir, meeting=logged, changes={"attendees": [dr_lee]})

    assert changed == ["attendees", "organisations"]
    assert list(logged.attendees.all()) == [dr_lee]
    # Saheli stays: the person did not remove it from the organisations represented.
    assert set(logged.organisations.all()) == {saheli, surgery}
    assert_in_step(programme)


def test_a_stale_edit_is_refused_and_changes_nothing(seir, programme, logged, dr_lee, snapshot):
    # given the edit page shown, then a colleague corrects the location
    seen_at = logged.updated_at.isoformat()
    services.meeting_update(actor=seir, meeting=logged, changes={"location": "Library"})
    before, tallies = snapshot(), stored_meetings(programme)

    # when the page is sent with other notes, a new date and another attendee
    with pytest.raises(services.EditedMeanwhile) as refused:
        services.meeting_update(
            actor=seir,
            meeting=logged,
            changes={"notes": "Mine", "held_at": at(LATER), "attendees": [dr_lee]},
            seen_at=seen_at,
        )

    # then nothing is written, and the refusal carries the meeting as saved now
    assert refused.value.current.location == "Library"
    logged.refresh_from_db()
    assert (logged.notes, logged.held_at, logged.location) == ("First notes", at(DAY), "Library")
    assert [p.name for p in logged.attendees.all()] == ["Nadia Hussain"]
    assert snapshot() == before
    assert stored_meetings(programme) == tallies


def test_an_attendee_of_another_programme_is_refused(seir, logged, other_programme, snapshot):
    stranger = PersonFactory(programme=other_programme, name="Someone Else")
    before = snapshot()

    with pytest.raises(ValidationError, match="another programme"):
        services.meeting_update(actor=seir, meeting=logged, changes={"attendees": [stranger]})

    assert snapshot() == before


def test_deleting_a_meeting_removes_its_counts_notes_and_follow_ups(seir, programme, logged):
    # given a second meeting the same day, and a follow-up of the one to delete
    kept = meeting_log(
        actor=seir,
        programme=programme,
        meeting=MeetingInput(held_at=at(DAY, datetime.time(15)), meeting_type="one_to_one"),
    )
    FollowUpFactory(programme=programme, meeting=logged, assignee=seir)
    assert stored_meetings(programme)[(DAY, seir.pk, "one_to_one", EVERY_MEETING)] == 2
    label = str(logged)

    # when it is deleted
    services.meeting_delete(actor=seir, meeting=logged)

    # then only the other one counts, and what came with the meeting went with it
    assert list(Meeting.objects.all()) == [kept]
    assert stored_meetings(programme) == {(DAY, seir.pk, "one_to_one", EVERY_MEETING): 1}
    assert_in_step(programme)
    assert not TalentNote.objects.exists() and not FollowUp.objects.exists()
    deleted = Event.objects.get(kind="scouting.meeting_deleted")
    assert (deleted.subject_id, deleted.subject_label, deleted.actor) == (
        str(logged.pk),
        label,
        seir,
    )
    assert deleted.data == {"type": "one_to_one", "attendees": 1, "followups": 1, "talent": 1}


def test_deleting_it_again_is_refused_with_a_message(seir, logged, snapshot):
    services.meeting_delete(actor=seir, meeting=logged)
    before = snapshot()

    with pytest.raises(services.MeetingGone, match="already deleted"):
        services.meeting_delete(actor=seir, meeting=logged)

    assert snapshot() == before


def test_a_meeting_ideas_came_from_is_not_deleted(seir, programme, logged, snapshot):
    """Deleting it would take the ideas' source away (and their place in the funnel)."""
    services.idea_create(
        actor=seir, programme=programme, title="Walking netball", source_meetings=[logged]
    )
    services.idea_create(
        actor=seir, programme=programme, title="Peer group", source_meetings=[logged]
    )
    before, sources = snapshot(), stored_sources(programme)

    with pytest.raises(services.ScoutingError) as refused:
        services.meeting_delete(actor=seir, meeting=logged)

    assert refused.value.message == (
        "Ideas came from this meeting: “Peer group”, “Walking netball”. Deleting it would "
        "leave them without the meeting they came from; correct the meeting instead."
    )
    assert Meeting.objects.filter(pk=logged.pk).exists()
    assert snapshot() == before
    assert stored_sources(programme) == sources
    assert Idea.objects.count() == 2 and IdeaSource.objects.exists()


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("seir", True),
        ("programme_administrator", True),
        ("administrator", True),
        ("other_seir", False),
        ("manager", False),
        ("commissioner", False),
        ("entrepreneur", False),
        ("stranger", False),
    ],
)
def test_who_may_edit_and_delete_a_meeting(request, who, may, logged, snapshot):
    user = request.getfixturevalue(who)
    assert can_edit_meeting(user, logged) is may
    if may:
        return
    before = snapshot()
    with pytest.raises(Http404):
        services.meeting_update(actor=user, meeting=logged, changes={"notes": "Not mine"})
    with pytest.raises(Http404):
        services.meeting_delete(actor=user, meeting=logged)
    assert snapshot() == before
    logged.refresh_from_db()
    assert logged.notes == "First notes"


def test_an_organisation_of_another_programme_is_refused(seir, logged, other_programme):
    elsewhere = OrganisationFactory(programme=other_programme)
    with pytest.raises(ValidationError, match="another programme"):
        services.meeting_update(actor=seir, meeting=logged, changes={"organisations": [elsewhere]})
    assert [o.name for o in logged.organisations.all()] == ["Saheli Women's Group"]


def test_a_new_type_alone_moves_the_counts(seir, programme, logged):
    """The tallies are kept by type: a meeting saved with only its type changed used to
    stay counted under its old type."""
    logged.meeting_type = "visit"
    logged.save(update_fields=["meeting_type"])
    assert stored_meetings(programme) == {
        (DAY, seir.pk, "visit", EVERY_MEETING): 1,
        (DAY, seir.pk, ANY_TYPE, Sector.COMMUNITY_GROUP): 1,  # a sector's row: any type
    }
    assert_in_step(programme)


# A meeting moved to a later day: its open follow-ups due before that day are named and
# the correction refused unless confirmed, as logging refuses such a follow-up.


def _followup(programme, meeting, seir, what, due, **kwargs):
    return FollowUpFactory(
        programme=programme, meeting=meeting, assignee=seir, what=what, due=due, **kwargs
    )


def test_a_later_date_that_puts_open_follow_ups_before_the_meeting_is_refused(
    seir, programme, logged, snapshot
):
    # given two open follow-ups due between the meeting's day and LATER (in due order
    # the other way round from their creation), and others that never block: done, no
    # due date, due on the new day itself
    call = _followup(programme, logged, seir, "Call Nadia", datetime.date(2026, 10, 8))
    deck = _followup(programme, logged, seir, "Send the deck", datetime.date(2026, 10, 7))
    _followup(programme, logged, seir, "Done already", datetime.date(2026, 10, 7), done=True)
    _followup(programme, logged, seir, "Some day", None)
    _followup(programme, logged, seir, "On the day", LATER)
    before = snapshot()
    seen_at = logged.updated_at.isoformat()

    # when the meeting is moved to LATER (and its notes corrected) without confirming
    with pytest.raises(services.FollowUpsBeforeMeeting) as refused:
        services.meeting_update(
            actor=seir,
            meeting=logged,
            changes={"held_at": at(LATER), "notes": "Corrected notes"},
            seen_at=seen_at,
        )

    # then both are named with their due dates, and nothing was written
    assert refused.value.message == (
        "“Send the deck” (due 7 Oct 2026) and “Call Nadia” (due 8 Oct 2026) are due before "
        "the meeting's new date (9 Oct 2026): confirm those dates or correct the "
        "meeting's date."
    )
    assert refused.value.followups == [deck, call]
    assert snapshot() == before
    logged.refresh_from_db()
    assert (logged.held_at, logged.notes) == (at(DAY), "First notes")
    assert logged.updated_at.isoformat() == seen_at
    assert _events("meeting_changed") == []

    # when the same correction is sent confirmed
    changed = services.meeting_update(
        actor=seir,
        meeting=logged,
        changes={"held_at": at(LATER), "notes": "Corrected notes"},
        seen_at=seen_at,
        followups_confirmed={deck.pk, call.pk},
    )

    # then it is saved, and the follow-ups keep their dates
    assert changed == ["held_at", "notes"]
    logged.refresh_from_db()
    assert (logged.held_at, logged.notes) == (at(LATER), "Corrected notes")
    assert _events("meeting_changed") == [(str(logged.pk), {"fields": ["held_at", "notes"]})]
    deck.refresh_from_db()
    call.refresh_from_db()
    assert (deck.due, call.due) == (datetime.date(2026, 10, 7), datetime.date(2026, 10, 8))


def test_one_follow_up_put_before_the_meeting_is_named_alone(seir, programme, logged):
    _followup(programme, logged, seir, "Send the deck", datetime.date(2026, 10, 7))

    with pytest.raises(services.FollowUpsBeforeMeeting) as refused:
        services.meeting_update(actor=seir, meeting=logged, changes={"held_at": at(LATER)})

    assert refused.value.message == (
        "“Send the deck” is due on 7 Oct 2026, before the meeting's new date (9 Oct 2026): "
        "confirm that date or correct the meeting's date."
    )
    logged.refresh_from_db()
    assert logged.held_at == at(DAY)


def test_done_undated_on_the_day_and_other_meetings_follow_ups_never_block(seir, programme, logged):
    other = meeting_log(
        actor=seir,
        programme=programme,
        meeting=MeetingInput(held_at=at(DAY, datetime.time(15)), meeting_type="visit"),
    )
    _followup(programme, logged, seir, "Done already", datetime.date(2026, 10, 7), done=True)
    _followup(programme, logged, seir, "Some day", None)
    _followup(programme, logged, seir, "On the day", LATER)
    _followup(programme, other, seir, "Another meeting's", datetime.date(2026, 10, 7))
    _followup(programme, None, seir, "No meeting's", datetime.date(2026, 10, 7))

    changed = services.meeting_update(actor=seir, meeting=logged, changes={"held_at": at(LATER)})

    assert changed == ["held_at"]
    logged.refresh_from_db()
    assert logged.held_at == at(LATER)


def test_moving_the_meeting_earlier_never_blocks(seir, programme, logged):
    # given a follow-up due before the meeting (confirmed so when it was logged) and one
    # due after it
    _followup(programme, logged, seir, "Before, on purpose", datetime.date(2026, 10, 2))
    _followup(programme, logged, seir, "Send the deck", datetime.date(2026, 10, 7))

    # when the meeting is moved to a day after the first one's date, but earlier
    changed = services.meeting_update(
        actor=seir, meeting=logged, changes={"held_at": at(datetime.date(2026, 10, 4))}
    )

    assert changed == ["held_at"]


def test_a_confirmation_keeps_only_the_follow_ups_it_names(seir, programme, logged, snapshot):
    """Ticking "keep the follow-ups' dates" for the ones a first date put before the
    meeting does not keep one that a date moved later still puts there: that one is
    named and the correction refused, until it is confirmed too."""
    deck = _followup(programme, logged, seir, "Send the deck", datetime.date(2026, 10, 7))
    call = _followup(programme, logged, seir, "Call Nadia", datetime.date(2026, 10, 12))
    before = snapshot()

    # confirmed for the deck alone (as asked about a move to the 9th), moved to the 14th
    with pytest.raises(services.FollowUpsBeforeMeeting) as refused:
        services.meeting_update(
            actor=seir,
            meeting=logged,
            changes={"held_at": at(datetime.date(2026, 10, 14))},
            followups_confirmed={deck.pk},
        )
    assert refused.value.followups == [deck, call]
    assert refused.value.message == (
        "“Send the deck” (due 7 Oct 2026) and “Call Nadia” (due 12 Oct 2026) are due before "
        "the meeting's new date (14 Oct 2026): confirm those dates or correct the "
        "meeting's date."
    )
    assert snapshot() == before
    assert _events("meeting_changed") == []

    # an id that is none of these follow-ups confirms nothing either
    with pytest.raises(services.FollowUpsBeforeMeeting):
        services.meeting_update(
            actor=seir,
            meeting=logged,
            changes={"held_at": at(datetime.date(2026, 10, 14))},
            followups_confirmed={deck.pk, call.pk + 1000},
        )
    assert snapshot() == before

    # both confirmed: saved, and both keep their dates
    changed = services.meeting_update(
        actor=seir,
        meeting=logged,
        changes={"held_at": at(datetime.date(2026, 10, 14))},
        followups_confirmed={deck.pk, call.pk},
    )
    assert changed == ["held_at"]
    assert sorted(logged.followups.values_list("due", flat=True)) == [
        datetime.date(2026, 10, 7),
        datetime.date(2026, 10, 12),
    ]


def test_a_follow_up_already_due_before_the_meeting_is_not_asked_about_again(
    seir, programme, nadia
):
    """Logging asked about it (``before_meeting_confirmed``); moving the meeting later
    leaves it before the meeting, as it was: only the follow-ups the new date puts
    before the meeting are named."""
    meeting = meeting_log(
        actor=seir,
        programme=programme,
        meeting=MeetingInput(
            held_at=at(DAY),
            meeting_type="one_to_one",
            attendees=[nadia],
            followups=[
                FollowUpRow(
                    what="Read the bid first",
                    due=datetime.date(2026, 10, 2),
                    before_meeting_confirmed=True,
                ),
                FollowUpRow(what="Send the deck", due=datetime.date(2026, 10, 7)),
            ],
        ),
    )

    with pytest.raises(services.FollowUpsBeforeMeeting) as refused:
        services.meeting_update(actor=seir, meeting=meeting, changes={"held_at": at(LATER)})
    assert [f.what for f in refused.value.followups] == ["Send the deck"]

    # moved to the day of "Send the deck" itself: nothing is put before the meeting
    changed = services.meeting_update(
        actor=seir, meeting=meeting, changes={"held_at": at(datetime.date(2026, 10, 7))}
    )
    assert changed == ["held_at"]


def test_the_new_day_is_the_local_day_as_when_logging(seir, programme, logged):
    """Half past midnight on 9 October in London is still 8 October in UTC: a follow-up
    due on the 8th is before the meeting, as logging would say."""
    _followup(programme, logged, seir, "Send the deck", datetime.date(2026, 10, 8))
    just_after_midnight = at(LATER, datetime.time(0, 30))

    with pytest.raises(services.FollowUpsBeforeMeeting):
        services.meeting_update(
            actor=seir, meeting=logged, changes={"held_at": just_after_midnight}
        )

    # later the same day as the old date (23:30 is the 6th in London): never blocks
    changed = services.meeting_update(
        actor=seir, meeting=logged, changes={"held_at": at(DAY, datetime.time(23, 30))}
    )
    assert changed == ["held_at"]
