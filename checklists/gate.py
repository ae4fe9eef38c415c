"""Gate conditions read from the checklist, so a gate and the checklist never disagree.

- ``checklist_items_accepted``: every (not removed) item tied to the venture's current
  stage is accepted or not applicable.
- ``checklist_item_accepted``: a condition that restates checklist items (params
  ``{"items": ["<item code>", ...]}``, e.g. "Registrations for regulated care (e.g. CQC)
  in place") is met while each named item is accepted (within its validity) or not
  applicable, and unmet when one is missing, removed, returned or expired.

Both kinds share one prepare (``batch``): one aggregated query for the whole batch of
ventures, however many conditions of either kind the stages have.
"""

from __future__ import annotations

from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.formats import date_format

from seir.links import link
from seir.prepared import prepared
from ventures.gates import GateKind

from .models import DONE_STATUSES, ChecklistItem, ItemStatus

CODE = "checklist_items_accepted"
LABEL = "All checklist items required for this stage accepted"
ITEM_CODE = "checklist_item_accepted"


def item_codes(condition) -> list[str]:
    """The item codes a ``checklist_item_accepted`` condition names (bad params: none)."""
    params = condition.params if isinstance(condition.params, dict) else {}
    codes = params.get("items")
    if not isinstance(codes, list):
        return []
    return [c for c in codes if isinstance(c, str) and c]


@prepared
def _tallies(venture_ids, today, *, codes):
    """Per venture: its items tied to its current stage (total, done), and for each of
    ``codes`` (the item codes conditions name) the item's counts and fields; one
    aggregated query (seir/prepared.py: ``today`` is a value, the codes the shape)."""
    in_stage = Q(stage_code=F("checklist__venture__stage__code"))
    done = Q(status__in=list(DONE_STATUSES))
    valid = Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    annotations = {
        "total": Count("id", filter=in_stage),
        "done": Count("id", filter=in_stage & done),
    }
    for i, code in enumerate(codes):
        named = Q(code=code)
        annotations |= {
            f"n{i}": Count("id", filter=named),
            f"ok{i}": Count("id", filter=named & done & valid),
            f"id{i}": Max("id", filter=named),
            f"label{i}": Max("label", filter=named),
            f"status{i}": Max("status", filter=named),
            f"expires{i}": Max("expires_on", filter=named),
        }
    wanted = in_stage | Q(code__in=codes) if codes else in_stage
    return (
        ChecklistItem.objects.filter(
            wanted, checklist__venture_id__in=venture_ids, removed_at__isnull=True
        )
        .values("checklist__venture_id")
        .annotate(**annotations)
        .order_by()
    )


class ChecklistGateKind(GateKind):
    batch = "checklists"

    def prepare(self, ventures, conditions):
        """{"stage": {venture_id: (done, total)}, "items": {(venture_id, code): row}}."""
        today = timezone.localdate()
        codes = tuple(sorted({code for c in conditions for code in item_codes(c)}))
        # Today's date reaches the query only through the named items' validity.
        rows = _tallies([v.pk for v in ventures], today if codes else None, codes=codes)
        stage, items = {}, {}
        for row in rows:
            venture_id = row["checklist__venture_id"]
            stage[venture_id] = (row["done"], row["total"])
            for i, code in enumerate(codes):
                if row[f"n{i}"]:
                    items[(venture_id, code)] = {
                        key: row[f"{key}{i}"]
                        for key in ("n", "ok", "id", "label", "status", "expires")
                    }
        return {"stage": stage, "items": items, "today": today}


class ChecklistItemsAcceptedKind(ChecklistGateKind):
    """Met when every (not removed) item whose stage code is the venture's current stage
    is accepted or not applicable. A stage with no such items has nothing outstanding."""

    code = CODE
    label = LABEL
    link_text = "Open the checklist"

    def evaluate(self, venture, condition, prepared):
        done, total = prepared["stage"].get(venture.pk, (0, 0))
        return done == total

    def detail(self, venture, condition, prepared):
        done, total = prepared["stage"].get(venture.pk, (0, 0))
        if not total:
            return "No checklist items are tied to this stage."
        return f"{done} of {total} checklist item{'s' if total != 1 else ''} accepted or not applicable."

    def link(self, venture, condition, prepared):
        return link("checklists:venture", venture.pk)


class ChecklistItemAcceptedKind(ChecklistGateKind):
    """Met while each checklist item the condition names is accepted (within its
    validity) or not applicable."""

    code = ITEM_CODE
    label = "Checklist item(s) accepted"
    link_text = "Open in the checklist"

    def _items(self, venture, condition, prepared):
        return [(code, prepared["items"].get((venture.pk, code))) for code in item_codes(condition)]

    def evaluate(self, venture, condition, prepared):
        items = self._items(venture, condition, prepared)
        return bool(items) and all(row and row["ok"] == row["n"] for _, row in items)

    def detail(self, venture, condition, prepared):
        parts = []
        for code, row in self._items(venture, condition, prepared):
            if row is None:
                parts.append(f"“{code}” is not on this venture's checklist")
                continue
            status = ItemStatus(row["status"]).label
            if row["status"] == ItemStatus.ACCEPTED and row["ok"] < row["n"]:
                status = "Expired"
            elif row["status"] == ItemStatus.ACCEPTED and row["expires"]:
                status += f" (valid to {date_format(row['expires'], 'j M Y')})"
            parts.append(f"Checklist item “{row['label']}”: {status}")
        return "; ".join(parts) + "." if parts else "No checklist item is named."

    def link(self, venture, condition, prepared):
        items = self._items(venture, condition, prepared)
        if len(items) == 1 and items[0][1] is not None:
            return link("checklists:item", items[0][1]["id"])
        return link("checklists:venture", venture.pk) if items else ""
