"""The forecast of how many ventures will reach the target stage by the end of the
period: each stage's conversion and median time (one window-function query), the
ventures that can still count (one grouped query), and the arithmetic that combines them.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.fields import DurationField
from django.db.models.functions import RowNumber, TruncDate
from django.utils.timezone import get_default_timezone

from ventures.models import StageChange, StageDay
from ventures.stage_days import CANDIDATE

from . import scope
from .figures import Forecast

# The forecast uses a stage's own programme figures once this many ventures have left it.
MIN_EXITS = 5
FORECAST_METHOD = (
    "For each active venture that has not yet counted, the chance of reaching the target "
    "stage is the product, over each stage still to pass, of that stage's conversion: the "
    "moves forward out of it divided by all moves out of it plus the ventures paused or "
    "closed in it (this programme's history; all programmes' when fewer than "
    f"{MIN_EXITS} moves have left the stage here). When the median "
    "days still needed (the stage's median time less the days already spent in it, plus "
    "the medians of the stages after it) exceed the days left in the period, the chance "
    "is scaled by days left ÷ days needed. The expected number is the ventures already "
    "counted plus the sum of these chances; the range is that ±1.96 standard deviations "
    "(each venture an independent yes or no), rounded outwards and kept within what is "
    "possible."
)


def _stage_statistics(s: scope.Scope) -> dict:
    """Per stage code, for this programme ("own") and for all programmes ("all"): how
    many times a venture left the stage, how many of those moves were forward, and the
    median days spent in the stage before leaving. One query: each exit's time in stage
    is its date less the venture's latest entry into that stage before it, and the
    medians are the middle rows of each stage's exits ordered by that time (window
    functions), so at most two rows per stage and scope come back."""
    rows = _stage_exits(s)
    found: dict[str, dict[str, dict]] = {"own": {}, "all": {}}
    middles: dict[tuple[str, str], list] = {}
    for r in rows:
        for key, n, fwd, rn in (
            ("all", r["n_all"], r["fwd_all"], r["rn_all"]),
            ("own", r["n_own"], r["fwd_own"], r["rn_own"]),
        ):
            if key == "own" and not r["is_own"]:
                continue
            if not _is_middle(rn, n):
                continue
            found[key][r["from_stage__code"]] = {"exits": n, "forward": fwd or 0}
            middles.setdefault((key, r["from_stage__code"]), []).append(r["spent"])
    for (key, code_), spent in middles.items():
        values = [d for d in spent if d is not None]
        found[key][code_]["median_days"] = (
            round(sum(d.total_seconds() for d in values) / len(values) / 86400) if values else None
        )
    return found


@scope.prepared_on_scope
def _stage_exits(s: scope.Scope):
    """Each stage's exits whose time in the stage is a median's middle row (see
    ``_stage_statistics``)."""
    entered = (
        StageChange.objects.filter(
            venture_id=OuterRef("venture_id"),
            to_stage_id=OuterRef("from_stage_id"),
            changed_at__lte=OuterRef("changed_at"),
        )
        .exclude(pk=OuterRef("pk"))
        .order_by("-changed_at", "-id")
        .values("changed_at")[:1]
    )
    own = Case(
        When(venture__programme_id=s.programme_id, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    forward = Case(
        When(to_stage__order__gt=F("from_stage__order"), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    exits = StageChange.objects.filter(from_stage__isnull=False)
    if s.seir_id is not None:
        # The SEiR filter narrows this programme's figures; all programmes' stay whole.
        exits = exits.filter(
            ~Q(venture__programme_id=s.programme_id) | Q(venture__seir_id=s.seir_id)
        )
    code = F("from_stage__code")
    return (
        exits.annotate(
            spent=ExpressionWrapper(F("changed_at") - Subquery(entered), DurationField()),
            is_own=own,
            is_forward=forward,
        )
        .annotate(
            n_all=Window(Count("id"), partition_by=[code]),
            fwd_all=Window(Sum("is_forward"), partition_by=[code]),
            rn_all=Window(RowNumber(), partition_by=[code], order_by=[F("spent").asc(), "id"]),
            n_own=Window(Count("id"), partition_by=[code, F("is_own")]),
            fwd_own=Window(Sum("is_forward"), partition_by=[code, F("is_own")]),
            rn_own=Window(
                RowNumber(), partition_by=[code, F("is_own")], order_by=[F("spent").asc(), "id"]
            ),
        )
        .filter(
            Q(rn_all__gte=F("n_all") / 2.0, rn_all__lte=F("n_all") / 2.0 + 1)
            | Q(is_own=1, rn_own__gte=F("n_own") / 2.0, rn_own__lte=F("n_own") / 2.0 + 1)
        )
        .values(
            "from_stage__code",
            "spent",
            "is_own",
            "n_all",
            "fwd_all",
            "rn_all",
            "n_own",
            "fwd_own",
            "rn_own",
        )
        .order_by()
    )


def _is_middle(rn: int, n: int) -> bool:
    return 2 * rn >= n and 2 * rn <= n + 2


def _candidates(s: scope.Scope, stages: list[dict], target_order: int | None) -> list[tuple]:
    """(stage order, day entered the stage, how many) of the active ventures that can still
    count: in a stage before the target stage (``stages``: the programme's, in order) and
    never in it or beyond (``target_reached_at`` empty: it is the first entry into the
    target stage or a later one, kept from the stage history by every write,
    ``ventures.targets``). Ventures in the same stage since the same day have the same
    chance, so one query of the day rows every write keeps (``ventures.StageDay``: a few
    hundred rows rather than every venture) for the whole programme; narrowed to one
    SEiR's ventures (the day rows do not split by SEiR), one grouped query over them."""
    if target_order is None:
        return []
    order_of = {st["id"]: st["order"] for st in stages if st["order"] < target_order}
    if not order_of:
        return []
    return [
        (order_of[stage_id], entered_on, n)
        for stage_id, entered_on, n in _candidate_rows(s, sorted(order_of))
    ]


@scope.prepared_on_scope
def _candidate_rows(s: scope.Scope, stage_ids: list[int]):
    if s.seir_id is None:
        return (
            StageDay.objects.filter(
                programme_id=s.programme_id, stage_id__in=stage_ids, ventures__gt=0
            )
            .values_list("stage_id", "day", "ventures")
            .order_by()
        )
    return (
        scope.ventures(s)
        .filter(CANDIDATE, stage_id__in=stage_ids)
        .annotate(entered_on=TruncDate("stage_entered_at", tzinfo=get_default_timezone()))
        .values_list("stage_id", "entered_on")
        .annotate(n=Count("id"))
        .order_by()
    )


def _forecast(
    *, stages, target_order, stats, stalled_all, candidates, achieved, today, period
) -> Forecast:
    if target_order is None:
        return Forecast(Decimal(achieved), achieved, achieved, 0, FORECAST_METHOD)
    per_stage = {}
    for st in stages:
        own = stats["own"].get(st["code"])
        if own and own["exits"] >= MIN_EXITS:
            chosen, stalled = own, st["paused"] + st["closed"]
        else:
            chosen, stalled = stats["all"].get(st["code"]), stalled_all.get(st["code"], 0)
        chosen = chosen or {"exits": 0, "forward": 0}
        ended = chosen["exits"] + stalled
        per_stage[st["order"]] = (
            chosen["forward"] / ended if ended else 0.0,
            chosen.get("median_days") or 0,
        )
    days_left = max(0, (period.end - max(today, period.start)).days + (today < period.start))
    if today > period.end:
        days_left = 0
    orders = [st["order"] for st in stages if st["order"] < target_order]
    chances = []
    chances: list[tuple[float, int]] = []  # (chance, how many ventures have it)
    for order, entered_on, n in candidates:
        in_stage = (today - entered_on).days if entered_on else 0
        chance = 1.0
        needed = 0
        for o in orders:
            if o < order:
                continue
            p, median = per_stage.get(o, (0.0, 0))
            chance *= p
            needed += max(0, median - in_stage) if o == order else median
        if needed > days_left or today > period.end:  # no chance left once it has ended
            chance *= days_left / needed if needed else 0.0
        chances.append((chance, n))
    count = sum(n for _, n in chances)
    mean = achieved + sum(p * n for p, n in chances)
    spread = 1.96 * math.sqrt(sum(n * p * (1 - p) for p, n in chances))
    low = max(achieved, math.floor(mean - spread))
    high = min(achieved + count, math.ceil(mean + spread))
    return Forecast(
        expected=Decimal(str(round(mean, 1))),
        low=low,
        high=max(low, high),
        candidates=count,
        method=FORECAST_METHOD,
    )
