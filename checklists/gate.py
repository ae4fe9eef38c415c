"""Gate condition: every checklist item tied to the venture's current stage is done."""

from __future__ import annotations

from django.db.models import Count, F, Q

from ventures.gates import GateKind

from .models import DONE_STATUSES, ChecklistItem

CODE = "checklist_items_accepted"
LABEL = "All checklist items required for this stage accepted"


class ChecklistItemsAcceptedKind(GateKind):
    """Met when every (not removed) item whose stage code is the venture's current stage
    is accepted or not applicable. A stage with no such items has nothing outstanding."""

    code = CODE
    label = LABEL

    def prepare(self, ventures, conditions):
        # One query for the whole batch: per venture, its items tied to its own stage.
        rows = (
            ChecklistItem.objects.filter(
                checklist__venture_id__in=[v.pk for v in ventures],
                removed_at__isnull=True,
                stage_code=F("checklist__venture__stage__code"),
            )
            .values("checklist__venture_id")
            .annotate(
                total=Count("id"),
                done=Count("id", filter=Q(status__in=list(DONE_STATUSES))),
            )
            .order_by()
        )
        return {r["checklist__venture_id"]: (r["done"], r["total"]) for r in rows}

    def evaluate(self, venture, condition, prepared):
        done, total = prepared.get(venture.pk, (0, 0))
        return done == total

    def detail(self, venture, condition, prepared):
        done, total = prepared.get(venture.pk, (0, 0))
        if not total:
            return "No checklist items are tied to this stage."
        return f"{done} of {total} checklist item{'s' if total != 1 else ''} accepted or not applicable."
