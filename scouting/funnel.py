"""Attribution: which meetings and sectors led to ideas, ventures, and ventures that
count towards the programme's target. Aggregates only (managers may read them).

``scouting_funnel(programme_ids)`` is the selector the manager dashboard reuses.
A meeting's sectors are those of the organisations represented at it; an idea counts in
the sectors of its source meetings; a venture in its promoted idea's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Subquery

from accounts.models import User
from ventures.models import Stage, StageChange

from .models import Idea, Meeting, Sector
from .permissions import funnel_programme_ids


@dataclass(frozen=True)
class FunnelRow:
    code: str
    label: str
    meetings: int
    ideas: int
    ventures: int
    counting: int


def counting_ventures_q():
    """Ventures that reached the programme's target stage (or beyond) within its period,
    read from the stage history."""
    target_order = Stage.objects.filter(
        programme_id=OuterRef("venture__programme_id"),
        code=OuterRef("venture__programme__target_stage_code"),
    ).values("order")[:1]
    return Exists(
        StageChange.objects.filter(
            venture_id=OuterRef("venture_id"),
            to_stage__order__gte=Subquery(target_order),
            changed_at__date__gte=F("venture__programme__start_date"),
            changed_at__date__lte=F("venture__programme__end_date"),
        )
    )


def scouting_funnel(programme_ids) -> list[FunnelRow]:
    """One row per sector (in Sector order, sectors with no meetings left out) plus a
    final "All sectors" row of distinct totals. Eight grouped queries whatever the size."""
    meetings = Meeting.objects.filter(programme_id__in=programme_ids)
    ideas = Idea.objects.filter(programme_id__in=programme_ids)
    ventures = ideas.filter(venture__isnull=False)
    counting = ventures.filter(counting_ventures_q())

    def by_sector(queryset, path: str) -> dict[str, int]:
        rows = (
            queryset.filter(**{f"{path}__isnull": False})
            .values(path)
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        return {r[path]: r["n"] for r in rows}

    path = "source_meetings__organisations__sector"
    m = by_sector(meetings, "organisations__sector")
    i, v, c = by_sector(ideas, path), by_sector(ventures, path), by_sector(counting, path)
    rows = [
        FunnelRow(code, label, m.get(code, 0), i.get(code, 0), v.get(code, 0), c.get(code, 0))
        for code, label in Sector.choices
        if m.get(code) or i.get(code)
    ]
    rows.append(
        FunnelRow(
            "all",
            "All sectors",
            meetings.count(),
            ideas.filter(source_meetings__isnull=False).distinct().count(),
            ventures.filter(source_meetings__isnull=False).distinct().count(),
            counting.filter(source_meetings__isnull=False).distinct().count(),
        )
    )
    return rows


def funnel_for(user: User) -> list[FunnelRow]:
    return scouting_funnel(funnel_programme_ids(user))
