"""A venture's records as its page shows them: the moves its stage allows, its stage
history, its profile history and its team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from seir.prepared import prepared

from ..models import FieldChange, Stage, StageChange, StageTransition, TeamMembership, Venture
from ..reference import programme_stages, stage_transitions, stages_by_id


def stage_list(*, programme_id: int) -> list[Stage]:
    """The programme's stages in order, as a page shows them (``ventures.reference``)."""
    return programme_stages(programme_id)


# A venture's stage history and its team are a handful of rows,
# sorted here rather than by the query: for an ORDER BY, Django's compiler matches each
# ordering term against every selected column (hashing each column of a joined table,
# ~0.2 ms a query), which costs more than sorting the rows.


def transition_list(*, venture: Venture) -> list[StageTransition]:
    """The moves the venture's current stage allows, in the order of the stages they
    lead to, as a page offers them (the reference data: ``ventures.reference``; the move
    itself is checked against the database)."""
    return list(stage_transitions([venture.stage_id]).get(venture.stage_id, []))


def transition_map(*, stage_ids) -> dict[int, list[StageTransition]]:
    """{from_stage_id: [transition, ...]} (for move menus on the board), each list in the
    order of the stages they lead to; from the reference data, as ``transition_list``."""
    return {pk: list(moves) for pk, moves in stage_transitions(stage_ids).items()}


@dataclass(frozen=True)
class StageVisit:
    stage: Stage
    entered_at: datetime
    left_at: datetime | None
    days: int
    change: StageChange

    @property
    def is_current(self) -> bool:
        return self.left_at is None


def stage_visit_list(*, venture: Venture) -> list[StageVisit]:
    """Each stage the venture has been in, with dates and days spent, oldest first (the
    stage path shows each visit's stage and whether its gate was overridden)."""
    changes = sorted(
        _stage_changes(venture.pk),
        key=lambda change: (change.changed_at, change.pk),
    )
    # The stages from the reference data (ventures.reference), not joined.
    stages = stages_by_id({change.to_stage_id for change in changes})
    for change in changes:
        change.to_stage = stages[change.to_stage_id]
    now = timezone.now()
    visits = []
    for index, change in enumerate(changes):
        left_at = changes[index + 1].changed_at if index + 1 < len(changes) else None
        visits.append(
            StageVisit(
                stage=change.to_stage,
                entered_at=change.changed_at,
                left_at=left_at,
                days=((left_at or now) - change.changed_at).days,
                change=change,
            )
        )
    return visits


def field_change_list(*, venture: Venture, limit: int = 50) -> list[FieldChange]:
    """The profile history, newest first, each change with who made it and ``is_reverted``
    (whether a later change reverted it).

    A revert is written after the change it reverts (``venture_revert`` reads that change
    first), so it comes before it in this order: when a change is among the newest
    ``limit``, so is any revert of it, and the list itself says which are reverted. An
    ``EXISTS`` per row said the same at twice the cost of the read to build."""
    changes = _field_changes(venture.pk, limit=limit)
    reverted = {change.reverts_id for change in changes if change.reverts_id is not None}
    for change in changes:
        change.is_reverted = change.pk in reverted
    return changes


def team_member_list(*, venture: Venture) -> list[TeamMembership]:
    """The venture's team by role, then first name (then when they joined)."""
    team = _team(venture.pk)
    for member in team:
        member.venture = venture  # as the related manager would set it
    return sorted(team, key=lambda member: (member.role, member.user.first_name, member.pk))


# The queries above, prepared (built and compiled once per connection: seir/prepared.py).


@prepared
def _stage_changes(venture_id):
    return StageChange.objects.filter(venture_id=venture_id).order_by()


@prepared
def _field_changes(venture_id, *, limit):
    return (
        FieldChange.objects.filter(venture_id=venture_id)
        .select_related("changed_by")
        .order_by("-changed_at", "-id")[:limit]
    )


@prepared
def _team(venture_id):
    return TeamMembership.objects.filter(venture_id=venture_id).select_related("user").order_by()
