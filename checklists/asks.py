"""The checklist's part of "What is being asked of you" (ventures.asks): items the SEiR
returned (with the comment), evidence that expired, and items overdue or due soon.

Accepted, not-applicable, submitted (waiting on the SEiR) and removed items ask nothing.
One query for every venture at once.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from ventures.asks import Ask, AskKind, due_soon_until, register_source

from .models import ChecklistItem, ItemStatus

# Statuses in which the item is the team's to work on.
_TEAM_STATUSES = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS)


def _day(date) -> str:
    return f"{date:%-d %B %Y}"


def checklist_asks(*, user, ventures, today):
    items = (
        ChecklistItem.objects.filter(
            checklist__venture__in=[v.pk for v in ventures], removed_at__isnull=True
        )
        .filter(
            Q(status__in=(ItemStatus.RETURNED, ItemStatus.EXPIRED))
            | Q(status__in=_TEAM_STATUSES, due_date__lte=due_soon_until(today))
        )
        .select_related("checklist", "reviewed_by")
        .order_by("due_date", "section_order", "order", "id")
    )
    for item in items:
        venture_id = item.checklist.venture_id
        url = reverse("checklists:item", args=[item.pk])
        due = item.due_date
        if item.status == ItemStatus.RETURNED:
            reviewer = item.reviewed_by.display_name if item.reviewed_by else "your SEiR"
            by = f" (due {_day(due)})" if due else ""
            yield Ask(
                venture_id=venture_id,
                kind=AskKind.RETURNED,
                text=f"“{item.label}” was returned: change it and submit it again{by}",
                url=url,
                detail=item.status_note,
                detail_label=f"Comment from {reviewer}",
                due=due,
            )
        elif item.status == ItemStatus.EXPIRED:
            # expires_on is the last day the evidence was valid.
            until = f" (valid until {_day(item.expires_on)})" if item.expires_on else ""
            yield Ask(
                venture_id=venture_id,
                kind=AskKind.EXPIRED,
                text=f"The evidence for “{item.label}” has expired{until}: add new evidence",
                url=url,
                due=due,
            )
        elif due < today:
            yield Ask(
                venture_id=venture_id,
                kind=AskKind.OVERDUE,
                text=f"“{item.label}” was due on {_day(due)}",
                url=url,
                due=due,
            )
        else:
            when = "today" if due == today else f"on {_day(due)}"
            yield Ask(
                venture_id=venture_id,
                kind=AskKind.DUE_SOON,
                text=f"“{item.label}” is due {when}",
                url=url,
                due=due,
            )


register_source("checklists", checklist_asks)
