"""Correcting a logged meeting, and deleting one logged by mistake.

Both lock the meeting first. A correction then locks the people and organisations it
adds, organisations before people as ``meeting_log`` and the merges do; the meeting's
lock is ``FOR NO KEY UPDATE``, which a merge moving its links (a key share on the
meeting) never waits for, so the two cannot wait on each other. An idea becoming a
venture locks its meetings the same way (``meetings_lock``, which writes down the order
of locks with ideas and ventures), so a correction and that timeline entry queue. The
summary rows (``scouting.tallies``) follow through the model signals for a correction,
and are recomputed here for a deletion (no signal runs for one).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.db import transaction

from accounts.models import User

from ..models import FollowUp, Meeting, Organisation, Person
from ..permissions import require_edit_meeting
from ..tallies import local_day, meetings_refresh
from .common import ScoutingError, changed_fields, record, refuse_if_edited_meanwhile
from .meetings import (
    MeetingInput,
    _lock_directory,
    _same_programme,
    meeting_corrected_in_ventures_record,
    meeting_in_venture_details,
)

# The meeting's own fields a correction may change, in the order changes are named.
MEETING_FIELDS = ("held_at", "meeting_type", "location", "notes")


class MeetingGone(ScoutingError):
    """The meeting was deleted (a second press of "Delete", or by a colleague)."""

    def __init__(self):
        super().__init__("This meeting was already deleted.")


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"  # as logging says it: 7 Oct 2026


class FollowUpsBeforeMeeting(ScoutingError):
    """The new date would put ``followups`` (open, with a due date) due before the
    meeting, the date logging refuses unless confirmed. Nothing was saved."""

    def __init__(self, followups: list[FollowUp], day: datetime.date):
        if len(followups) == 1:
            (one,) = followups
            message = (
                f"“{one.what}” is due on {_day(one.due)}, before the meeting's new date "
                f"({_day(day)}): confirm that date or correct the meeting's date."
            )
        else:
            named = [f"“{f.what}” (due {_day(f.due)})" for f in followups]
            message = (
                f"{', '.join(named[:-1])} and {named[-1]} are due before the meeting's new "
                f"date ({_day(day)}): confirm those dates or correct the meeting's date."
            )
        super().__init__(message)
        self.followups = followups
        self.day = day


def _refuse_followups_put_before(
    meeting: Meeting, held_at: datetime.datetime, confirmed: Collection[int]
) -> None:
    """The meeting's open follow-ups that moving it to ``held_at`` puts due before its
    day (the local day, as ``meeting_log`` compares), refused unless every one of them
    is among those ``confirmed`` (the ones the person was shown and ticked for: a date
    moved later still may put others there, and each is named before it is kept). One due
    before the old day already is left alone: the move does not put it there (logging
    asked about it, if it came with the meeting; ``FollowUp`` keeps no record of the
    answer to tell them apart). Done ones and those with no date never block; nor does a
    meeting moved earlier."""
    old_day, new_day = local_day(meeting.held_at), local_day(held_at)
    if new_day <= old_day:
        return
    put_before = list(
        meeting.followups.filter(
            done=False, due__isnull=False, due__gte=old_day, due__lt=new_day
        ).order_by("due", "pk")
    )
    if any(f.pk not in confirmed for f in put_before):
        raise FollowUpsBeforeMeeting(put_before, new_day)


def _locked(meeting: Meeting, *, no_key: bool) -> Meeting:
    try:
        return (
            Meeting.objects.select_for_update(no_key=no_key)
            .select_related("programme")
            .get(pk=meeting.pk)
        )
    except Meeting.DoesNotExist:
        raise MeetingGone() from None


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    changes: dict,
    seen_at: str | None = None,
    followups_confirmed: Collection[int] = (),
) -> list[str]:
    """Change only what differs from the meeting as saved: its own fields
    (``MEETING_FIELDS``), ``attendees`` and ``organisations`` (lists of records). An
    attendee added brings their organisation, as when the meeting was logged; one
    removed leaves it (the person removes it if it was not there). Refused
    (``EditedMeanwhile``) when saved by someone else since ``seen_at``; refused
    (``FollowUpsBeforeMeeting``, naming them) when a later date puts open follow-ups due
    before the meeting, unless each is among ``followups_confirmed`` (their ids). A new
    date, type or place is told in the timeline of each venture an idea from the meeting
    became, with what it was before. Returns the names of what changed (none: nothing
    written, no event)."""
    require_edit_meeting(actor, meeting)
    meeting = _locked(meeting, no_key=True)
    refuse_if_edited_meanwhile(meeting, seen_at)
    programme = meeting.programme
    before_people = set(meeting.attendees.values_list("pk", flat=True))
    before_orgs = set(meeting.organisations.values_list("pk", flat=True))
    people: dict[int, Person] = {p.pk: p for p in changes.get("attendees", ())}
    named: dict[int, Organisation] = {o.pk: o for o in changes.get("organisations", ())}
    _same_programme(programme, people.values(), "attendees")
    _same_programme(programme, named.values(), "organisations")

    new_people = set(people) if "attendees" in changes else before_people
    new_orgs = set(named) if "organisations" in changes else set(before_orgs)
    added_people = [people[pk] for pk in sorted(new_people - before_people)]
    new_orgs |= {p.organisation_id for p in added_people if p.organisation_id}
    _lock_directory(
        MeetingInput(
            held_at=meeting.held_at,
            meeting_type=meeting.meeting_type,
            attendees=added_people,
            organisations=[named[pk] for pk in sorted(new_orgs - before_orgs) if pk in named],
        )
    )

    own = {name: changes[name] for name in MEETING_FIELDS if name in changes}
    if "held_at" in own:
        _refuse_followups_put_before(meeting, own["held_at"], frozenset(followups_confirmed))
    if "location" in own:
        own["location"] = own["location"].strip()
    was = meeting_in_venture_details(meeting)  # as the ventures' timelines last told it
    names = changed_fields(meeting, own)
    if names:
        meeting.full_clean()
        meeting.save(update_fields=[*names, "updated_at"])
    if new_people != before_people:
        meeting.attendees.remove(*sorted(before_people - new_people))
        meeting.attendees.add(*sorted(new_people - before_people))
        names.append("attendees")
    if new_orgs != before_orgs:
        meeting.organisations.remove(*sorted(before_orgs - new_orgs))
        meeting.organisations.add(*sorted(new_orgs - before_orgs))
        names.append("organisations")
    if names:
        if not set(names) & set(MEETING_FIELDS):  # an edit form shown before is out of date
            meeting.save(update_fields=["updated_at"])
        record(actor, "meeting_changed", meeting, data={"fields": names})
        meeting_corrected_in_ventures_record(actor=actor, meeting=meeting, fields=names, was=was)
    return names


def ideas_refusal(titles: list[str]) -> str:
    quoted = ", ".join(f"“{t}”" for t in titles)
    if len(titles) == 1:
        return (
            f"An idea came from this meeting: {quoted}. Deleting it would leave the idea "
            "without the meeting it came from; correct the meeting instead."
        )
    return (
        f"Ideas came from this meeting: {quoted}. Deleting it would leave them without the "
        "meeting they came from; correct the meeting instead."
    )


@transaction.atomic
def meeting_delete(*, actor: User, meeting: Meeting) -> None:
    """Delete a meeting with its talent notes and follow-ups. Refused while ideas came
    from it: their source (and their place in the funnel and in a venture's timeline)
    would go with it. Deleted already: ``MeetingGone``."""
    require_edit_meeting(actor, meeting)
    meeting = _locked(meeting, no_key=False)
    titles = sorted(meeting.ideas.values_list("title", flat=True))
    if titles:
        raise ScoutingError(ideas_refusal(titles))
    day = (meeting.programme_id, local_day(meeting.held_at))
    record(
        actor,
        "meeting_deleted",
        meeting,
        data={
            "type": meeting.meeting_type,
            "attendees": meeting.attendees.count(),
            "followups": meeting.followups.count(),
            "talent": meeting.talent.count(),
        },
    )
    meeting.delete()
    meetings_refresh([], also_days=[day])
