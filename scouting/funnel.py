"""Attribution: which meetings and sectors led to ideas, ventures, and ventures that
count towards the programme's target. Aggregates only (managers may read them).

``scouting_funnel(programme_ids)`` is the start page's funnel over the programmes' whole
history. (The manager dashboard counts its own, narrowed to its period and SEiR:
``progress.scope.funnel_sources``.)
A meeting's sectors are those of the organisations represented at it; an idea counts in
the sectors of its source meetings; a venture in its promoted idea's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Min, Q, QuerySet, Sum

from accounts.models import Programme, User
from ventures.models import Stage, StageChange

from .models import EVERY_MEETING, IdeaSource, MeetingTally, Sector
from .permissions import funnel_programme_ids


@dataclass(frozen=True)
class FunnelRow:
    code: str
    label: str
    meetings: int
    ideas: int
    ventures: int
    counting: int


def counting_venture_ids(programme_ids: list[int]) -> QuerySet:
    """Ids of the ventures of ``programme_ids`` that count towards their programme's
    target: their FIRST entry into the target stage, or a later one, falls within the
    programme's period (read from the stage history). The same definition as the
    dashboard's target (``progress.scope.achieved``); a venture that reached the target
    stage before the period began does not count again.

    One grouped pass over the programmes' stage history, correlated with nothing: the
    database runs it once (a hashed subplan) rather than once per row. Each programme's
    target stage order is read first (one small query), so no stage change row asks for
    it again."""
    target_orders = Stage.objects.filter(
        programme_id__in=programme_ids, code=F("programme__target_stage_code")
    ).values_list("programme_id", "order")
    reached = Q(pk__in=[])
    for programme_id, order in target_orders:
        reached |= Q(venture__programme_id=programme_id, to_stage__order__gte=order)
    return (
        StageChange.objects.filter(reached)
        .values("venture_id", "venture__programme__start_date", "venture__programme__end_date")
        .annotate(first_reached=Min("changed_at"))
        .filter(
            first_reached__date__gte=F("venture__programme__start_date"),
            first_reached__date__lte=F("venture__programme__end_date"),
        )
        .values("venture_id")
    )


def scouting_funnel(programme_ids: list[int]) -> list[FunnelRow]:
    """One row per sector (in Sector order, sectors with no meetings or ideas left out)
    plus a final "All sectors" row of distinct totals. One small query for the
    programmes' target stages, then three grouped queries whatever the size, over the
    summary rows the writes keep (``scouting.tallies``), not over every meeting."""
    programme_ids = [int(pk) for pk in programme_ids]
    tallies = MeetingTally.objects.filter(programme_id__in=programme_ids).order_by()
    m = {r["sector"]: r["n"] for r in tallies.values("sector").annotate(n=Sum("meetings"))}
    sources = IdeaSource.objects.filter(programme_id__in=programme_ids)
    promoted = Q(idea__venture__isnull=False)
    counting = counting_venture_ids(programme_ids)
    counts = {
        "ideas": Count("idea_id", distinct=True),
        "ventures": Count("idea_id", distinct=True, filter=promoted),
        "counting": Count(
            "idea_id", distinct=True, filter=promoted & Q(idea__venture_id__in=counting)
        ),
    }
    by_sector = {
        r["sector"]: r
        for r in sources.exclude(sector=EVERY_MEETING)
        .values("sector")
        .annotate(**counts)
        .order_by()
    }
    empty = {"ideas": 0, "ventures": 0, "counting": 0}
    rows = [
        FunnelRow(code, label, m.get(code, 0), *_ints(by_sector.get(code, empty)))
        for code, label in Sector.choices
        if m.get(code) or by_sector.get(code, empty)["ideas"]
    ]
    totals = sources.filter(sector=EVERY_MEETING).aggregate(**counts)
    rows.append(FunnelRow("all", "All sectors", m.get(EVERY_MEETING) or 0, *_ints(totals)))
    return rows


def _ints(counts: dict) -> tuple[int, int, int]:
    return (counts["ideas"] or 0, counts["ventures"] or 0, counts["counting"] or 0)


def funnel_for(user: User) -> list[FunnelRow]:
    ids = Programme.objects.filter(id__in=funnel_programme_ids(user)).values_list("id", flat=True)
    return scouting_funnel(list(ids))
