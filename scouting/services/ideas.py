"""Ideas: their lifecycle (a state machine in data) and promotion to a venture."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Programme, User
from ventures import services as venture_services
from ventures.models import Venture

from ..models import (
    IDEA_STATUSES_NEEDING_REASON,
    IDEA_STATUSES_PROMOTABLE,
    IDEA_TRANSITIONS,
    Idea,
    IdeaStatus,
    Meeting,
    Person,
)
from ..permissions import require_manage_programme
from .common import ScoutingError, changed_fields, record, refuse_if_edited_meanwhile
from .meetings import meetings_in_venture_record, meetings_lock

IDEA_FIELDS = ("title", "description", "health_need")


def _locked(idea: Idea) -> Idea:
    """The idea's row, locked ``FOR NO KEY UPDATE``: a second writer of the idea waits,
    a tally refresh (a meeting's correction) adding its source rows does not; the order
    of locks is in ``meetings_lock``."""
    return Idea.objects.select_for_update(no_key=True).get(pk=idea.pk)


def _lock_source_meetings(idea: Idea) -> None:
    """Before the idea's venture is written (a key of the idea: ``Idea.venture`` is
    unique): a correction of one of its meetings shares the idea's key when it commits
    (its source rows), so it must not be left waiting for the idea while this waits for
    the meeting."""
    meetings_lock(idea.source_meetings.values_list("pk", flat=True))


def _check_links(programme: Programme, meetings: Iterable, people: Iterable) -> None:
    if any(m.programme_id != programme.pk for m in meetings):
        raise ValidationError({"source_meetings": "Some meetings belong to another programme."})
    if any(p.programme_id != programme.pk for p in people):
        raise ValidationError({"proposers": "Some people belong to another programme."})


@transaction.atomic
def idea_create(
    *,
    actor: User,
    programme: Programme,
    title: str,
    description: str = "",
    health_need: str = "",
    source_meetings: Iterable[Meeting] = (),
    proposers: Iterable[Person] = (),
) -> Idea:
    require_manage_programme(actor, programme.pk)
    source_meetings, proposers = list(source_meetings), list(proposers)
    _check_links(programme, source_meetings, proposers)
    idea = Idea(
        programme=programme,
        title=title.strip(),
        description=description,
        health_need=health_need,
        created_by=actor,
    )
    idea.full_clean()
    idea.save()
    if source_meetings:
        idea.source_meetings.set(source_meetings)
    if proposers:
        idea.proposers.set(proposers)
    record(actor, "idea_added", idea, data={"meetings": [m.pk for m in source_meetings]})
    return idea


@transaction.atomic
def idea_update(*, actor: User, idea: Idea, changes: dict, seen_at: str | None = None) -> list[str]:
    """Change only what differs: text fields, proposers, source meetings. Refused
    (``EditedMeanwhile``) when saved by someone else since ``seen_at``."""
    require_manage_programme(actor, idea.programme_id)
    idea = _locked(idea)
    refuse_if_edited_meanwhile(idea, seen_at)
    names = changed_fields(idea, {k: changes[k] for k in IDEA_FIELDS if k in changes})
    if names:
        idea.full_clean()
        idea.save(update_fields=[*names, "updated_at"])
    _check_links(idea.programme, changes.get("source_meetings", ()), changes.get("proposers", ()))
    if "proposers" in changes:
        new = {p.pk for p in changes["proposers"]}
        if new != set(idea.proposers.values_list("pk", flat=True)):
            idea.proposers.set(list(changes["proposers"]))
            names.append("proposers")
    if "source_meetings" in changes:
        new_meetings = {m.pk: m for m in changes["source_meetings"]}
        old = set(idea.source_meetings.values_list("pk", flat=True))
        if set(new_meetings) != old:
            added = [m for pk, m in new_meetings.items() if pk not in old]
            if idea.venture_id and added:
                # Before linking them: the link's tally refresh takes the programme's
                # tally lock, which a correction holding one of them may be waiting for.
                meetings_lock(m.pk for m in added)
            idea.source_meetings.set(list(new_meetings.values()))
            names.append("source_meetings")
            if idea.venture_id and added:
                meetings_in_venture_record(
                    actor=actor, idea=idea, venture=idea.venture, meetings=added
                )
    if names:
        if not set(names) & set(IDEA_FIELDS):  # an edit form shown before is out of date
            idea.save(update_fields=["updated_at"])
        record(actor, "idea_changed", idea, data={"fields": names})
    return names


@transaction.atomic
def idea_set_status(*, actor: User, idea: Idea, to_status: str, reason: str = "") -> Idea:
    """Move an idea along IDEA_TRANSITIONS; rejecting or parking needs a reason."""
    require_manage_programme(actor, idea.programme_id)
    idea = _locked(idea)
    reason = reason.strip()
    if to_status == IdeaStatus.PROMOTED and idea.status in IDEA_STATUSES_PROMOTABLE:
        # Never a status change (the table has no move to it): idea_promote does it.
        raise ScoutingError("Promote the idea with “Promote to a venture”.")
    IDEA_TRANSITIONS.require(
        idea.status,
        to_status,
        refusal=ScoutingError,
        message="A {current_lower} idea cannot become {target_lower}.",
    )
    if to_status in IDEA_STATUSES_NEEDING_REASON and not reason:
        raise ValidationError({"reason": "Give a reason (it is kept with the idea)."})
    from_status = idea.status
    idea.status = to_status
    idea.status_reason = reason
    idea.save(update_fields=["status", "status_reason", "updated_at"])
    record(
        actor,
        "idea_status_changed",
        idea,
        data={"from": from_status, "to": to_status, "reason": reason},
    )
    return idea


@transaction.atomic
def idea_promote(*, actor: User, idea: Idea, venture_fields: dict) -> Venture:
    """Create the venture from the idea and link both.

    The promotion and the idea's source meetings are recorded with ``venture=`` so they
    appear in the venture's timeline.
    """
    require_manage_programme(actor, idea.programme_id)
    idea = _locked(idea)
    if idea.status not in IDEA_STATUSES_PROMOTABLE or idea.venture_id:
        raise ScoutingError(
            f"This idea is {idea.get_status_display().lower()}; only new, exploring or parked "
            "ideas can be promoted."
        )
    fields = dict(venture_fields)
    programme = fields.pop("programme", None) or idea.programme
    if programme.pk != idea.programme_id:
        raise ValidationError({"programme": "The venture must be in the idea's programme."})
    _lock_source_meetings(idea)
    venture = venture_services.venture_create(actor=actor, programme=programme, **fields)
    from_status = idea.status
    idea.venture = venture
    idea.status = IdeaStatus.PROMOTED
    idea.status_reason = ""
    idea.promoted_at = timezone.now()
    idea.save(update_fields=["venture", "status", "status_reason", "promoted_at", "updated_at"])
    record(
        actor,
        "idea_promoted",
        idea,
        venture=venture,
        data={"from": from_status, "idea": idea.title, "venture_id": venture.pk},
    )
    meetings_in_venture_record(actor=actor, idea=idea, venture=venture)
    return venture


@transaction.atomic
def idea_link_venture(*, actor: User, idea: Idea, venture: Venture) -> Idea:
    """Record that an idea became an existing venture (one already in the pipeline):
    linked and promoted, with the promotion and meetings in the venture's timeline."""
    require_manage_programme(actor, idea.programme_id)
    # The venture first (parent before child): two ideas linked to it at once queue
    # here, so the second sees the first's link below instead of breaking the unique
    # key on Idea.venture.
    venture = Venture.objects.select_for_update().get(pk=venture.pk)
    idea = _locked(idea)
    if venture.programme_id != idea.programme_id:
        raise ScoutingError("The venture belongs to another programme.")
    if idea.status not in IDEA_STATUSES_PROMOTABLE or idea.venture_id:
        raise ScoutingError(
            f"This idea is {idea.get_status_display().lower()}; it cannot be linked."
        )
    if Idea.objects.filter(venture=venture).exists():
        raise ScoutingError(f"{venture} already came from another idea.")
    _lock_source_meetings(idea)
    from_status = idea.status
    idea.venture = venture
    idea.status = IdeaStatus.PROMOTED
    idea.promoted_at = timezone.now()
    idea.save(update_fields=["venture", "status", "promoted_at", "updated_at"])
    record(
        actor,
        "idea_promoted",
        idea,
        venture=venture,
        data={"from": from_status, "idea": idea.title, "venture_id": venture.pk},
    )
    meetings_in_venture_record(actor=actor, idea=idea, venture=venture)
    return idea
