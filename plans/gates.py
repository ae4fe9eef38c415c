"""Gate condition kind "business_plan_approved", registered with ventures.gates.

params: ``{"in_current_stage": true}`` asks for a version submitted while the venture was
at its current stage (the pilot gate wants the *full* plan approved there, not the
outline approved at start-up); without it any approved version counts.
"""

from __future__ import annotations

from collections import defaultdict

from seir.prepared import prepared
from ventures.gates import GateKind

from .models import PlanStatus, PlanVersion


@prepared
def _approved_versions(venture_ids):
    """(venture id, stage id, number) of each approved version, newest first
    (seir/prepared.py)."""
    return (
        PlanVersion.objects.filter(
            plan__venture_id__in=venture_ids, review__status=PlanStatus.APPROVED
        )
        .order_by("-number")
        .values_list("plan__venture_id", "stage_id", "number")
    )


class BusinessPlanApprovedKind(GateKind):
    code = "business_plan_approved"
    label = "Business plan approved"

    def prepare(self, ventures, conditions):
        """{venture_id: [(stage_id, version number), ...]} of approved versions: one query."""
        approved = defaultdict(list)
        for venture_id, stage_id, number in _approved_versions([v.pk for v in ventures]):
            approved[venture_id].append((stage_id, number))
        return approved

    def _matching(self, venture, condition, prepared):
        rows = prepared.get(venture.pk, [])
        if condition.params.get("in_current_stage"):
            rows = [row for row in rows if row[0] == venture.stage_id]
        return rows

    def evaluate(self, venture, condition, prepared):
        return bool(self._matching(venture, condition, prepared))

    def detail(self, venture, condition, prepared):
        rows = self._matching(venture, condition, prepared)
        return f"Version {rows[0][1]} approved." if rows else ""
