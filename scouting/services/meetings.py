"""Scouting meetings, follow-ups and the meeting draft saved as the SEiR types."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Programme, User

from ..models import FollowUp, Idea, Meeting, MeetingDraft, Organisation, Person, TalentNote
from ..permissions import can_manage_programme, can_manage_scouting, require_manage_programme
from ..tallies import local_day
from .common import ScoutingError, record

DRAFT_MAX_BYTES = 200_000
# Each row's field is a key of its own ("followups-29-due"): 30 rows of each kind (ten
# fields in all) and the meeting's own fields come to about 330.
DRAFT_MAX_KEYS = 400


@dataclass
class IdeaRow:
    title: str
    description: str = ""
    health_need: str = ""
    proposers: list[Person] = field(default_factory=list)


@dataclass
class TalentRow:
    person: Person
    note: str = ""


@dataclass
class FollowUpRow:
    what: str
    assignee: User | None = None
    due: datetime.date | None = None
    person: Person | None = None
    # Due before the meeting was held: refused unless the SEiR confirmed they meant it.
    before_meeting_confirmed: bool = False


@dataclass
class MeetingInput:
    held_at: datetime.datetime
    meeting_type: str
    location: str = ""
    notes: str = ""
    attendees: list[Person] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    ideas: list[IdeaRow] = field(default_factory=list)
    talent: list[TalentRow] = field(default_factory=list)
    followups: list[FollowUpRow] = field(default_factory=list)


def _same_programme(programme: Programme, objects: Iterable, what: str) -> None:
    if any(o.programme_id != programme.pk for o in objects):
        raise ValidationError(f"Some {what} belong to another programme.")


# A person or organisation the meeting names was merged into another, or removed, after
# the form was shown: nothing is saved, and the form comes back as it was typed.
DIRECTORY_CHANGED = (
    "A person or organisation this meeting names was merged or removed while you were "
    "writing it. Check the names and save again."
)


def _lock_directory(meeting: MeetingInput) -> None:
    """Lock the organisations, then the people, the meeting names (in the order a merge
    locks them), so that a merge of one of them waits for the meeting to commit and then
    moves its links too. Foreign keys are checked at commit: without this a merge that
    removed one of them meanwhile made the meeting fail then, an error page. One already
    merged or removed, or a person whose organisation changed since, is refused."""
    people = {
        *meeting.attendees,
        *(t.person for t in meeting.talent),
        *(p for i in meeting.ideas for p in i.proposers),
        *(f.person for f in meeting.followups if f.person is not None),
    }
    organisations = {o.pk for o in meeting.organisations} | {
        p.organisation_id for p in meeting.attendees if p.organisation_id
    }
    found = list(
        Organisation.objects.select_for_update(no_key=True)
        .filter(pk__in=sorted(organisations))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(found) != len(organisations):
        raise ValidationError(DIRECTORY_CHANGED)
    now = dict(
        Person.objects.select_for_update(no_key=True)
        .filter(pk__in=sorted(p.pk for p in people))
        .order_by("pk")
        .values_list("pk", "organisation_id")
    )
    if len(now) != len({p.pk for p in people}) or any(
        now[p.pk] != p.organisation_id for p in meeting.attendees
    ):
        raise ValidationError(DIRECTORY_CHANGED)


@transaction.atomic
def meeting_log(*, actor: User, programme: Programme, meeting: MeetingInput) -> Meeting:
    """Log a meeting with everything that came out of it, in one transaction.

    The organisations of the attendees count as represented. Ideas surfaced are created
    with the meeting as their source; the actor's draft is discarded once saved.
    """
    require_manage_programme(actor, programme.pk)
    _same_programme(programme, meeting.attendees, "attendees")
    _same_programme(programme, meeting.organisations, "organisations")
    _same_programme(programme, [t.person for t in meeting.talent], "people spotted")
    _same_programme(programme, [p for i in meeting.ideas for p in i.proposers], "proposers")
    _same_programme(
        programme, [f.person for f in meeting.followups if f.person], "follow-up people"
    )
    meeting_day = timezone.localtime(meeting.held_at).date()
    for row in meeting.followups:
        if row.due and row.due < meeting_day and not row.before_meeting_confirmed:
            raise ValidationError(
                f"“{row.what}” is due before the meeting: confirm that date or correct it."
            )
        if row.assignee is not None and not can_manage_programme(row.assignee, programme.pk):
            raise ValidationError(f"{row.assignee} does not work on {programme}.")
    _lock_directory(meeting)
    row = Meeting(
        programme=programme,
        held_at=meeting.held_at,
        meeting_type=meeting.meeting_type,
        location=meeting.location.strip(),
        notes=meeting.notes,
        logged_by=actor,
    )
    row.full_clean()
    row.save()
    attendees = {p.pk: p for p in meeting.attendees}
    row.attendees.set(list(attendees.values()))
    organisations = {o.pk: o for o in meeting.organisations}
    for person in attendees.values():
        if person.organisation_id and person.organisation_id not in organisations:
            organisations[person.organisation_id] = person.organisation
    row.organisations.set(list(organisations.values()))
    record(
        actor,
        "meeting_logged",
        row,
        data={
            "type": row.meeting_type,
            "attendees": len(attendees),
            "organisations": len(organisations),
            "ideas": len(meeting.ideas),
            "followups": len(meeting.followups),
        },
    )
    for talent in meeting.talent:
        note = TalentNote(meeting=row, person=talent.person, note=talent.note)
        note.full_clean()
        note.save()
    for idea in meeting.ideas:
        from .ideas import idea_create

        idea_create(
            actor=actor,
            programme=programme,
            title=idea.title,
            description=idea.description,
            health_need=idea.health_need,
            source_meetings=[row],
            proposers=idea.proposers,
        )
    for followup in meeting.followups:
        followup_add(
            actor=actor,
            programme=programme,
            meeting=row,
            what=followup.what,
            assignee=followup.assignee or actor,
            due=followup.due,
            person=followup.person,
        )
    MeetingDraft.objects.filter(user=actor).delete()
    return row


@transaction.atomic
def followup_add(
    *,
    actor: User,
    programme: Programme,
    what: str,
    assignee: User | None,
    due: datetime.date | None = None,
    meeting: Meeting | None = None,
    person: Person | None = None,
) -> FollowUp:
    require_manage_programme(actor, programme.pk)
    followup = FollowUp(
        programme=programme,
        meeting=meeting,
        what=what.strip(),
        assignee=assignee,
        due=due,
        person=person,
    )
    followup.full_clean()
    followup.save()
    record(
        actor, "followup_added", followup, data={"due": due, "assignee_id": followup.assignee_id}
    )
    return followup


@transaction.atomic
def followup_set_done(*, actor: User, followup: FollowUp, done: bool) -> FollowUp:
    require_manage_programme(actor, followup.programme_id)
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.done == done:
        return followup  # a double submit changes nothing
    followup.done = done
    followup.done_at = timezone.now() if done else None
    followup.save(update_fields=["done", "done_at"])
    record(actor, "followup_done" if done else "followup_reopened", followup)
    return followup


def _valid_draft(data) -> dict[str, list[str]]:
    if not isinstance(data, dict) or len(data) > DRAFT_MAX_KEYS:
        raise ScoutingError("The draft could not be read.")
    clean: dict[str, list[str]] = {}
    for key, value in data.items():
        values = value if isinstance(value, list) else [value]
        if not isinstance(key, str) or len(key) > 100:
            raise ScoutingError("The draft could not be read.")
        if not all(isinstance(v, str | int | float | bool) or v is None for v in values):
            raise ScoutingError("The draft could not be read.")
        clean[key] = ["" if v is None else str(v).replace("\x00", "") for v in values]
    if len(json.dumps(clean)) > DRAFT_MAX_BYTES:
        raise ScoutingError(
            "The draft is too long to save on the server; it is kept on this device."
        )
    return clean


def draft_save(*, actor: User, data) -> MeetingDraft:
    """Keep what the SEiR has typed so far (one draft per user, replaced each time).

    Not an event: a draft is the person's own scratch copy, not programme data.
    """
    if not can_manage_scouting(actor):
        raise ScoutingError("Only programme staff keep meeting drafts.")
    clean = _valid_draft(data)
    draft, _ = MeetingDraft.objects.update_or_create(
        user=actor, defaults={"data": clean, "updated_at": timezone.now()}
    )
    return draft


def draft_discard(*, actor: User) -> int:
    return MeetingDraft.objects.filter(user=actor).delete()[0]


def meetings_lock(pks) -> dict[int, Meeting]:
    """Lock the meetings ``pks`` (``FOR NO KEY UPDATE``, in id order, as ``meeting_update``
    locks the one it corrects) and return them read afresh from the locked rows, by id.

    The order every writer keeps: a venture, then an idea (``FOR NO KEY UPDATE``), then
    its meetings, then the idea's venture written (a key update: ``Idea.venture`` is
    unique), the people and organisations a correction adds, and the tallies' advisory
    locks. Foreign keys are checked at commit, so a correction holding a meeting shares,
    as it commits, the key of each idea from the meeting (their source rows) and of each
    venture told (the events): an idea service therefore locks the meetings before it
    writes the idea's venture, and the idea's own lock never blocks a key share. A
    correction reads the ideas without locking them; a merge's key share on a meeting
    (moving its links) does not wait for this lock."""
    return {
        m.pk: m
        for m in Meeting.objects.select_for_update(no_key=True)
        .filter(pk__in=sorted(set(pks)))
        .order_by("pk")
    }


def meetings_in_venture_record(*, actor: User, idea: Idea, venture, meetings=None) -> int:
    """Put the idea's source meetings (or ``meetings``) in the venture's timeline, called
    inside a service transaction that has locked the idea. One event per meeting, dated
    when the meeting was held.

    The details come from the meetings locked (``meetings_lock``): so either this waits
    for a correction's commit and records what the meeting now says, or the correction
    waits for this transaction's commit, then sees the idea's venture and tells its
    timeline (``meeting_corrected_in_ventures_record``)."""
    pks = (
        [m.pk for m in meetings]
        if meetings is not None
        else list(idea.source_meetings.values_list("pk", flat=True))
    )
    locked = meetings_lock(pks)
    meetings = [locked[pk] for pk in dict.fromkeys(pks) if pk in locked]
    for meeting in meetings:
        record(
            actor,
            "meeting_in_venture",
            meeting,
            venture=venture,
            at=meeting.held_at,
            data={
                "type": meeting.get_meeting_type_display(),
                "location": meeting.location,
                "held_at": meeting.held_at,
                "idea": idea.title,
            },
        )
    return len(meetings)


# A meeting's details its venture's team reads in the timeline (the notes and who attended
# are staff-only), in the order a correction names them.
MEETING_IN_VENTURE_FIELDS = ("held_at", "meeting_type", "location")


def meeting_in_venture_details(meeting: Meeting) -> dict:
    """What a venture's timeline says of a source meeting: its type, day and place (never
    its notes or who attended)."""
    return {
        "type": meeting.get_meeting_type_display(),
        "location": meeting.location,
        "on": local_day(meeting.held_at).isoformat(),
    }


def meeting_corrected_in_ventures_record(
    *, actor: User, meeting: Meeting, fields, was: dict
) -> int:
    """Tell the timeline of each venture an idea from ``meeting`` became that the meeting
    was corrected (called inside ``meeting_update``'s transaction): one event per venture,
    dated now, with what the meeting now says, what it said before (``was``, from
    ``meeting_in_venture_details`` before the change) and which of those details changed.
    Its "Scouting meeting" entry stays as recorded (the event log is history). None when
    only staff-only details (notes, attendees, organisations) changed."""
    changed = [name for name in MEETING_IN_VENTURE_FIELDS if name in fields]
    if not changed:
        return 0
    ideas = list(
        meeting.ideas.filter(venture__isnull=False).select_related("venture").order_by("pk")
    )
    for idea in ideas:
        record(
            actor,
            "meeting_in_venture_corrected",
            meeting,
            venture=idea.venture,
            data={
                **meeting_in_venture_details(meeting),
                "held_at": meeting.held_at,
                "idea": idea.title,
                "fields": changed,
                "was": was,
            },
        )
    return len(ideas)
