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

from django.db.models import Count, F, Q, Sum

from accounts.models import Programme, User

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


def counting_source_q(programme_ids: list[int]) -> Q:
    """(Relative to ``IdeaSource``.) The row's idea became a venture of ``programme_ids``
    that counts towards its programme's target: its FIRST entry into the target stage,
    or a later one, falls within the programme's period. The same definition as the
    dashboard's target (``progress.scope.achieved``), read from what the row keeps of
    the venture's ``target_reached_at`` (``scouting.tallies`` copies it from the venture,
    which every stage change keeps: ``ventures.targets``); a venture that reached the
    target stage before the period began does not count again."""
    return Q(
        venture_programme_id__in=programme_ids,
        venture_target_reached_at__date__gte=F("venture_programme__start_date"),
        venture_target_reached_at__date__lte=F("venture_programme__end_date"),
    )


def scouting_funnel(programme_ids: list[int]) -> list[FunnelRow]:
    """One row per sector (in Sector order, sectors with no meetings or ideas left out)
    plus a final "All sectors" row of distinct totals: two grouped queries whatever the
    size (the meetings, then the ideas of every sector and of all at once), over the
    summary rows the writes keep (``scouting.tallies``), not over every meeting, with
    the ventures counting towards the target as an indexed subquery."""
    programme_ids = [int(pk) for pk in programme_ids]
    tallies = MeetingTally.objects.filter(programme_id__in=programme_ids).order_by()
    m = {r["sector"]: r["n"] for r in tallies.values("sector").annotate(n=Sum("meetings"))}
    # Each idea's first row of each sector (``IdeaSource.prev_day`` empty) counts it
    # once, read with what the row keeps of the idea's venture: no sort, no join but the
    # venture's programme's dates.
    sources = IdeaSource.objects.filter(programme_id__in=programme_ids, prev_day__isnull=True)
    promoted = Q(venture__isnull=False)
    counts = {
        "ideas": Count("id"),
        "ventures": Count("id", filter=promoted),
        "counting": Count("id", filter=promoted & counting_source_q(programme_ids)),
    }
    # Every sector's and the meetings' own rows (EVERY_MEETING: all sectors' distinct
    # totals) in one grouped query.
    by_sector = {r["sector"]: r for r in sources.values("sector").annotate(**counts).order_by()}
    empty = {"ideas": 0, "ventures": 0, "counting": 0}
    rows = [
        FunnelRow(code, label, m.get(code, 0), *_ints(by_sector.get(code, empty)))
        for code, label in Sector.choices
        if m.get(code) or by_sector.get(code, empty)["ideas"]
    ]
    totals = by_sector.get(EVERY_MEETING, empty)
    rows.append(FunnelRow("all", "All sectors", m.get(EVERY_MEETING) or 0, *_ints(totals)))
    return rows


def _ints(counts: dict) -> tuple[int, int, int]:
    return (counts["ideas"] or 0, counts["ventures"] or 0, counts["counting"] or 0)


def funnel_for(user: User) -> list[FunnelRow]:
    ids = Programme.objects.filter(id__in=funnel_programme_ids(user)).values_list("id", flat=True)
    return scouting_funnel(list(ids))
