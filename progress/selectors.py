"""The programme's figures, defined once: the dashboard, the target report and their CSVs
all read ``programme_figures``, and every figure's rows come from ``progress.rows``, built
from the same conditions (``scope``), so a count and the list behind it always agree.

A fixed number of aggregate queries whatever the size of the data (five: the stages and
the furthest stages reached are counted in one, the scouting funnel's and the stage
moves' counts are among the tallies; the stages themselves are reference data); the
only Python loops run over stages, over the grouped rows the database returns, and over
the (stage, days in stage) of active ventures that have not yet counted, for the
forecast.

This module assembles the figures and runs the pipeline queries; the figures' types live
in ``progress.figures``, the forecast in ``progress.forecast`` and the development,
commissioning and scouting tallies in ``progress.tallies`` (re-exported here).
"""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from ventures.models import VentureStatus
from ventures.reference import programme_stages

from . import scope
from .figures import (  # noqa: F401  (re-exported: the figures' types live in progress.figures)
    AchievedVenture,
    Commissioning,
    Development,
    DomainFigures,
    Forecast,
    FundFigures,
    FunnelFigures,
    Pipeline,
    ProgrammeFigures,
    Scouting,
    StageFigures,
    Tally,
    Target,
    WeekChanges,
)
from .forecast import (  # noqa: F401  (re-exported)
    FORECAST_METHOD,
    MIN_EXITS,
    _candidates,
    _forecast,
    _stage_statistics,
)
from .periods import Period
from .tallies import _from_tallies, _tallies, introduction_steps  # noqa: F401  (re-exported)


def programme_figures(
    *, programme, period: Period, seir=None, ventures_limit: int | None = None
) -> ProgrammeFigures:
    """The programme's figures for ``period`` (narrowed to ``seir``'s ventures when
    given). ``ventures_limit``: list only the first so many ventures counting towards the
    target (the dashboard shows 25 and links to the rest); ``target.achieved`` counts
    them all either way. The report freezes every one (no limit)."""
    now = timezone.now()
    today = timezone.localdate(now)
    s = scope.Scope.at(programme=programme, period=period, seir=seir, now=now)

    counted = _stage_counts(s)  # 1 query: the stage rows and the furthest stages
    stages = _stage_rows(s, counted)
    target_stage = next((st for st in stages if st["code"] == programme.target_stage_code), None)
    target_order = target_stage["order"] if target_stage else None
    total = sum(r["achieved"] for r in counted)
    achieved_count, achieved = _achieved(s, target_order, ventures_limit, total)  # 1
    furthest = _furthest(counted)
    stats = _stage_statistics(s)  # 1
    candidates = _candidates(s, stages, target_order)  # 1
    tallies = _tallies(s)  # 1 (the scouting funnel's and the moves' counts)

    def reached_at_least(order: int) -> int:
        return sum(n for furthest_order, n in furthest.items() if furthest_order >= order)

    stage_figures = []
    for i, st in enumerate(stages):
        reached = reached_at_least(st["order"])
        nxt = stages[i + 1] if i + 1 < len(stages) else None
        conversion = None
        if nxt is not None and reached:
            conversion = round(100 * reached_at_least(nxt["order"]) / reached)
        own = stats["own"].get(st["code"], {})
        stage_figures.append(
            StageFigures(
                code=st["code"],
                name=st["name"],
                order=st["order"],
                active=st["active"],
                paused=st["paused"],
                closed=st["closed"],
                stuck=st["stuck"],
                quiet=st["quiet"],
                reached=reached,
                conversion_to_next=conversion,
                median_days=own.get("median_days"),
                exits=own.get("exits", 0),
            )
        )

    days_left = max(0, (period.end - max(today, period.start)).days + (today < period.start))
    target = Target(
        number=programme.target_ventures,
        stage_code=programme.target_stage_code,
        stage_name=target_stage["name"] if target_stage else programme.target_stage_code,
        achieved=achieved_count,
        ventures=tuple(achieved),
        days_left=days_left,
        on_track=achieved_count >= programme.target_ventures,
    )
    forecast = _forecast(
        stages=stages,
        target_order=target_order,
        stats=stats,
        stalled_all={r["t_key"]: r["t_a"] for r in tallies if r["t_kind"] == "stalled"},
        candidates=candidates,
        achieved=achieved_count,
        today=today,
        period=period,
    )
    development, commissioning, scouting, counts = _from_tallies(tallies)
    pipeline = Pipeline(
        stages=tuple(stage_figures),
        stuck=sum(st["stuck"] for st in stages),
        quiet=sum(st["quiet"] for st in stages),
        new_ventures=sum(st["new"] for st in stages),
        moves=counts["moves"],
        stuck_after_days=programme.stuck_after_days,
        quiet_after_days=programme.quiet_after_days,
    )
    week = WeekChanges(
        since=timezone.localdate(s.week_ago),
        moves=counts["moves_week"],
        new_ventures=sum(st["new_week"] for st in stages),
        contracts=counts["contracts_week"],
        items_overdue=counts["items_overdue_week"],
    )
    return ProgrammeFigures(
        programme_id=programme.pk,
        programme_name=programme.name,
        period_start=period.start,
        period_end=period.end,
        seir_id=seir.pk if seir else None,
        computed_at=now,
        target=target,
        forecast=forecast,
        pipeline=pipeline,
        development=development,
        commissioning=commissioning,
        scouting=scouting,
        week=week,
    )


# --- queries -----------------------------------------------------------------------


_STAGE_COUNTS = ("active", "paused", "closed", "stuck", "quiet", "new", "new_week")


def _stage_rows(s: scope.Scope, counted: list[dict]) -> list[dict]:
    """The programme's stages in order (the reference data), each with its ventures
    counted by what the pipeline shows; a stage with no venture still appears."""
    counts: dict[int, dict] = {}
    for r in counted:
        found = counts.setdefault(r["stage_id"], dict.fromkeys(_STAGE_COUNTS, 0))
        for k in _STAGE_COUNTS:
            found[k] += r[k]
    none = dict.fromkeys(_STAGE_COUNTS, 0)
    return [
        {
            "id": st.pk,
            "code": st.code,
            "name": st.name,
            "order": st.order,
            **counts.get(st.pk, none),
        }
        for st in programme_stages(s.programme_id)
    ]


def _stage_counts(s: scope.Scope) -> list[dict]:
    """The scope's ventures counted by stage and furthest stage reached, with those
    counting towards the target (``achieved``): ``_stage_count_rows``' rows, which also
    split by status, each given its status's counts (stuck and quiet only when active)."""
    counted = []
    for r in _stage_count_rows(s):
        active = r["status"] == VentureStatus.ACTIVE
        counted.append(
            {
                **r,
                "active": r["total"] if active else 0,
                "paused": r["total"] if r["status"] == VentureStatus.PAUSED else 0,
                "closed": r["total"] if r["status"] == VentureStatus.CLOSED else 0,
                "stuck": r["stuck"] if active else 0,
                "quiet": r["quiet"] if active else 0,
            }
        )
    return counted


@scope.prepared_on_scope
def _stage_count_rows(s: scope.Scope):
    """One grouped query over the ventures alone (a few dozen rows: the stages are
    joined in Python, from the reference data). Grouped by status too, so the status
    needs no count of its own: six counts a row rather than ten, ~15% less of
    PostgreSQL's time on this pass over every venture (docs/performance.md §38).
    ``stuck`` and ``quiet`` count every status here; only an active row's are read."""
    return (
        scope.ventures(s)
        .values("stage_id", "furthest_stage_order", "status")
        .annotate(
            total=Count("*"),
            stuck=Count("id", filter=s.stuck_q()),
            quiet=Count("id", filter=s.quiet_q()),
            new=Count("id", filter=s.new_q()),
            new_week=Count("id", filter=s.new_week_q()),
            achieved=Count("id", filter=scope.achieved_q(s)),
        )
        .order_by()
    )


def _furthest(counted: list[dict]) -> dict[int, int]:
    """How many of the scope's ventures have each stage order as the furthest they have
    been in (``Venture.furthest_stage_order``, kept from the stage history by every
    write): a venture reached a stage when its furthest is that stage's order or later."""
    furthest: dict[int, int] = {}
    for r in counted:
        if r["furthest_stage_order"] is not None:
            order = r["furthest_stage_order"]
            furthest[order] = furthest.get(order, 0) + r["total"]
    return furthest


def _achieved(
    s: scope.Scope, target_order: int | None, limit: int | None, total: int
) -> tuple[int, list[AchievedVenture]]:
    """How many ventures count towards the target (``total``: counted with the stages,
    ``_stage_counts``), and the first ``limit`` of them (all when None) in the order they
    reached it: one query, off the (programme, target_reached_at) index, that stops at
    the limit."""
    if target_order is None or not total:
        return 0, []
    rows = _achieved_rows(s, limit=limit)
    return total, [
        AchievedVenture(
            id=r["id"],
            name=r["name"],
            reached_on=timezone.localdate(r["target_reached_at"]),
            stage=r["stage__name"],
            status=r["status"],
            moved_back=r["stage__order"] < target_order,
            paused=r["status"] == VentureStatus.PAUSED,
            closed=r["status"] == VentureStatus.CLOSED,
        )
        for r in rows
    ]


@scope.prepared_on_scope
def _achieved_rows(s: scope.Scope, *, limit: int | None):
    rows = (
        scope.achieved(s)
        .values("id", "name", "status", "stage__name", "stage__order", "target_reached_at")
        .order_by("target_reached_at", "id")
    )
    return rows[:limit] if limit is not None else rows
