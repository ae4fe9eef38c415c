"""Programme stage sets."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Programme

from ..models import DefaultStage, GateCondition, Stage, StageTransition


@transaction.atomic
def programme_install_default_stages(*, programme: Programme) -> list[Stage]:
    """Copy the default stage set (with gates and transitions) into a new programme.

    Idempotent: a programme that already has stages is left alone.
    """
    existing = list(Stage.objects.filter(programme=programme).order_by("order"))
    if existing:
        return existing
    stages = []
    for default in DefaultStage.objects.order_by("order"):
        stage = Stage.objects.create(
            programme=programme,
            code=default.code,
            name=default.name,
            order=default.order,
            exit_criteria=default.exit_criteria,
        )
        GateCondition.objects.bulk_create(
            GateCondition(
                stage=stage,
                kind=item.get("kind", "confirmed"),
                label=item["label"],
                params=item.get("params", {}),
                order=index,
            )
            for index, item in enumerate(default.gate)
        )
        stages.append(stage)
    transitions = []
    for earlier, later in zip(stages, stages[1:], strict=False):
        transitions.append(StageTransition(from_stage=earlier, to_stage=later, requires_gate=True))
        transitions.append(StageTransition(from_stage=later, to_stage=earlier, requires_gate=False))
    StageTransition.objects.bulk_create(transitions)
    return stages
