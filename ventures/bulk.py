"""Bulk import: many ventures at once, checked by the same rules as ``venture_create``.

For imports and demo data at scale. Each row becomes a venture at a stage of the
programme, with its first stage-history row dated ``entered_at`` and its lead on the
team, exactly what ``venture_create`` writes, in a fixed number of queries whatever
the number of rows. Either every row is valid and all are written, or none is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Programme, ProgrammeMembership, User
from accounts.permissions import runs_programme
from accounts.roles import STAFF_ROLES
from events.services import event_record_many
from seir.refusals import require

from . import events, stage_days
from .models import LegalForm, Stage, StageChange, TeamMembership, TeamRole, Venture
from .search import search_document
from .targets import target_order, target_reached_refresh

# Checked in bulk below (one query each), so full_clean() need not query per row.
_RELATIONS = ("programme", "stage", "lead", "seir", "legal_form")


@dataclass(frozen=True)
class VentureRow:
    """One venture to import. ``entered_at``: when it entered ``stage`` (default now)."""

    name: str
    stage: Stage
    summary: str = ""
    need: str = ""
    beneficiaries: str = ""
    area: str = ""
    legal_form: LegalForm | None = None
    origin: str = "community"
    is_spinout: bool = False
    lead: User | None = None
    seir: User | None = None
    entered_at: datetime | None = None


@transaction.atomic
def venture_create_many(
    *,
    actor: User,
    programme: Programme,
    rows: Sequence[VentureRow],
    note: str = "Venture added to the pipeline.",
    batch_size: int = 1000,
) -> list[Venture]:
    """Create ``rows`` in ``programme``; refuses them all if one breaks a rule."""
    require(runs_programme(actor, programme.pk))
    if not rows:
        return []
    stage_ids = set(Stage.objects.filter(programme=programme).values_list("pk", flat=True))
    members = {
        (user_id, role)
        for user_id, role in ProgrammeMembership.objects.filter(programme=programme).values_list(
            "user_id", "role"
        )
    }
    member_ids = {user_id for user_id, _ in members}
    seir_ids = {user_id for user_id, role in members if role in STAFF_ROLES}
    legal_form_ids = set(LegalForm.objects.values_list("pk", flat=True))
    target = target_order(programme.pk)
    now = timezone.now()
    ventures, errors = [], {}
    for index, row in enumerate(rows):
        problems = []
        if row.stage.pk not in stage_ids:
            problems.append("That stage belongs to another programme.")
        if row.lead is not None and row.lead.pk not in member_ids:
            problems.append(f"{row.lead} is not a member of {programme}.")
        if row.seir is not None and row.seir.pk not in seir_ids:
            problems.append(f"{row.seir} is not a SEiR of {programme}.")
        if row.legal_form is not None and row.legal_form.pk not in legal_form_ids:
            problems.append("That legal form does not exist.")
        if row.entered_at is not None and row.entered_at > now:
            problems.append("A venture cannot enter a stage in the future.")
        entered = row.entered_at or now
        venture = Venture(
            programme=programme,
            name=row.name,
            summary=row.summary,
            need=row.need,
            beneficiaries=row.beneficiaries,
            area=row.area,
            legal_form=row.legal_form,
            origin=row.origin,
            is_spinout=row.is_spinout,
            lead=row.lead,
            seir=row.seir if row.seir is not None else actor,
            stage=row.stage,
            stage_entered_at=entered,
            last_activity_at=entered,
            # What target_reached_refresh (below) works out from the one stage-history
            # row, written with the row so that it finds nothing to change.
            furthest_stage_order=row.stage.order,
            target_reached_at=entered if target is not None and row.stage.order >= target else None,
        )
        venture.search_text = search_document(venture)  # bulk_create skips save()
        try:
            venture.full_clean(exclude=_RELATIONS, validate_constraints=False)
        except ValidationError as error:
            problems.extend(
                f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()
            )
        if problems:
            errors[f"row {index + 1}"] = problems
        ventures.append(venture)
    if errors:
        raise ValidationError(errors)

    Venture.objects.bulk_create(ventures, batch_size=batch_size)
    StageChange.objects.bulk_create(
        (
            StageChange(
                venture=venture,
                from_stage=None,
                to_stage=venture.stage,
                changed_by=actor,
                changed_at=venture.stage_entered_at,
                note=note,
            )
            for venture, row in zip(ventures, rows, strict=True)
        ),
        batch_size=batch_size,
    )
    # bulk_create sends no signal: the first entry into the target stage, once per programme
    # (it rewrites no row whose values were right, and tells the summaries that copy them).
    # The forecast's day rows too, once the first entries are written.
    for programme_id in {v.programme_id for v in ventures}:
        ids = [v.pk for v in ventures if v.programme_id == programme_id]
        for start in range(0, len(ids), 1000):
            target_reached_refresh(programme_id=programme_id, venture_ids=ids[start : start + 1000])
        stage_days.programme_rebuild(programme_id)
    TeamMembership.objects.bulk_create(
        (
            TeamMembership(venture=venture, user=venture.lead, role=TeamRole.LEAD)
            for venture in ventures
            if venture.lead is not None
        ),
        batch_size=batch_size,
    )
    # The same event venture_create records, through the events app's bulk path.
    event_record_many(
        actor=actor,
        kind=events.VENTURE_CREATED,
        records=(
            {
                "subject": venture,
                "venture": venture,
                "data": {
                    "stage": venture.stage.name,
                    "stage_id": venture.stage_id,
                    "lead": venture.lead.display_name if venture.lead else "",
                },
                "at": venture.stage_entered_at,
            }
            for venture in ventures
        ),
        batch_size=batch_size,
    )
    return ventures
