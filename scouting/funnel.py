"""Attribution: which meetings and sectors led to ideas, ventures, and ventures that
count towards the programme's target. Aggregates only (managers may read them).

``scouting_funnel(programme_ids)`` is the selector the manager dashboard reuses.
A meeting's sectors are those of the organisations represented at it; an idea counts in
the sectors of its source meetings; a venture in its promoted idea's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Subquery

from accounts.models import Programme, User
from seir import fragments
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


def counting_ventures_q(venture: str = "venture"):
    """Ventures (at the ``venture`` path from the outer query) that reached their
    programme's target stage, or beyond, within its period, read from the stage history."""
    target_order = Stage.objects.filter(
        programme_id=OuterRef("venture__programme_id"),
        code=OuterRef("venture__programme__target_stage_code"),
    ).values("order")[:1]
    return Exists(
        StageChange.objects.filter(
            venture_id=OuterRef(f"{venture}_id"),
            to_stage__order__gte=Subquery(target_order),
            changed_at__date__gte=F("venture__programme__start_date"),
            changed_at__date__lte=F("venture__programme__end_date"),
        )
    )


def scouting_funnel(programme_ids: list[int]) -> list[FunnelRow]:
    """One row per sector (in Sector order, sectors with no meetings or ideas left out)
    plus a final "All sectors" row of distinct totals. Eight grouped queries whatever the
    size; the meeting counts read the meeting-organisation links and organisations only."""
    programme_ids = [int(pk) for pk in programme_ids]
    represented = Meeting.organisations.through.objects.filter(
        organisation__programme_id__in=programme_ids
    )
    m = {
        r["organisation__sector"]: r["n"]
        for r in represented.values("organisation__sector")
        .annotate(n=Count("meeting_id", distinct=True))
        .order_by()
    }
    sources = Idea.source_meetings.through.objects.filter(idea__programme_id__in=programme_ids)
    sector_path = "meeting__organisations__sector"

    def ideas_by_sector(links) -> dict[str, int]:
        rows = (
            links.filter(**{f"{sector_path}__isnull": False})
            .values(sector_path)
            .annotate(n=Count("idea_id", distinct=True))
            .order_by()
        )
        return {r[sector_path]: r["n"] for r in rows}

    promoted = sources.filter(idea__venture__isnull=False)
    counting = promoted.filter(counting_ventures_q("idea__venture"))
    i, v, c = ideas_by_sector(sources), ideas_by_sector(promoted), ideas_by_sector(counting)
    rows = [
        FunnelRow(code, label, m.get(code, 0), i.get(code, 0), v.get(code, 0), c.get(code, 0))
        for code, label in Sector.choices
        if m.get(code) or i.get(code)
    ]

    def distinct_ideas(links) -> int:
        return links.values("idea_id").distinct().count()

    rows.append(
        FunnelRow(
            "all",
            "All sectors",
            Meeting.objects.filter(programme_id__in=programme_ids).count(),
            distinct_ideas(sources),
            distinct_ideas(promoted),
            distinct_ideas(counting),
        )
    )
    return rows


def funnel_cached(programme_ids: list[int]) -> list[FunnelRow]:
    """``scouting_funnel``, kept until anything is written (seir.fragments' data version):
    at 100,000 meetings it takes about a second, and the scouting start page would
    otherwise meet it whenever its own cache expired."""
    ids = sorted(int(pk) for pk in programme_ids)
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:24]
    return fragments.cached_value(f"scouting:funnel:{digest}", lambda: scouting_funnel(ids))


def funnel_for(user: User) -> list[FunnelRow]:
    ids = Programme.objects.filter(id__in=funnel_programme_ids(user)).values_list("id", flat=True)
    return funnel_cached(list(ids))
