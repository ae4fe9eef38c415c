"""The programme's figures, defined once: the dashboard, the target report and their CSVs
all read ``programme_figures``, and every figure's rows come from ``progress.rows``, built
from the same conditions (``scope``), so a count and the list behind it always agree.

A fixed number of aggregate queries whatever the size of the data (nine, plus the
scouting funnel's four); the only Python loops run over stages, over the grouped rows
the database returns, and over the (stage, days in stage) of active ventures that have
not yet counted, for the forecast.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
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
from django.db.models.functions import Cast, RowNumber, TruncDate
from django.utils import timezone

from commissioning.models.referrals import STEP_TRANSITIONS, Step
from plans.models import PlanStatus
from scouting.funnel import scouting_funnel
from scouting.models import MeetingType, Sector
from ventures.models import Stage, StageChange, Venture, VentureStatus

from . import scope
from .periods import Period

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


@dataclass(frozen=True)
class AchievedVenture:
    id: int
    name: str
    reached_on: datetime.date
    stage: str
    status: str
    moved_back: bool
    paused: bool
    closed: bool

    @property
    def flagged(self) -> bool:
        return self.moved_back or self.paused or self.closed


@dataclass(frozen=True)
class Target:
    number: int
    stage_code: str
    stage_name: str
    achieved: int
    ventures: tuple[AchievedVenture, ...]
    days_left: int
    on_track: bool


@dataclass(frozen=True)
class Forecast:
    expected: Decimal
    low: int
    high: int
    candidates: int
    method: str


@dataclass(frozen=True)
class StageFigures:
    code: str
    name: str
    order: int
    active: int
    paused: int
    closed: int
    stuck: int
    quiet: int
    reached: int
    conversion_to_next: int | None  # percent of those that reached this stage
    median_days: int | None
    exits: int


@dataclass(frozen=True)
class Pipeline:
    stages: tuple[StageFigures, ...]
    stuck: int
    quiet: int
    new_ventures: int
    moves: int
    stuck_after_days: int
    quiet_after_days: int


@dataclass(frozen=True)
class Tally:
    code: str
    label: str
    count: int
    amount: Decimal | None = None


@dataclass(frozen=True)
class FundFigures:
    fund_id: int
    name: str
    applied: int
    requested: Decimal
    awarded: int
    awarded_amount: Decimal


@dataclass(frozen=True)
class DomainFigures:
    number: int
    name: str
    indicators: int
    ventures: int


@dataclass(frozen=True)
class Development:
    items_overdue: int
    items_expiring: int
    expiring_within_days: int
    plans: tuple[Tally, ...]
    funds: tuple[FundFigures, ...]
    applied_total: Decimal
    awarded_total: Decimal
    domains: tuple[DomainFigures, ...]


@dataclass(frozen=True)
class Commissioning:
    steps: tuple[Tally, ...]
    contracts: tuple[Tally, ...]
    contract_count: int
    contract_value: Decimal


@dataclass(frozen=True)
class FunnelFigures:
    code: str
    label: str
    meetings: int
    ideas: int
    ventures: int
    counting: int


@dataclass(frozen=True)
class Scouting:
    meetings: int
    by_type: tuple[Tally, ...]
    by_sector: tuple[Tally, ...]
    funnel: tuple[FunnelFigures, ...]


@dataclass(frozen=True)
class WeekChanges:
    since: datetime.date
    moves: int
    new_ventures: int
    contracts: int
    items_overdue: int


@dataclass(frozen=True)
class ProgrammeFigures:
    programme_id: int
    programme_name: str
    period_start: datetime.date
    period_end: datetime.date
    seir_id: int | None
    computed_at: datetime.datetime
    target: Target
    forecast: Forecast
    pipeline: Pipeline
    development: Development
    commissioning: Commissioning
    scouting: Scouting
    week: WeekChanges

    def as_dict(self) -> dict:
        """JSON-safe: dates and datetimes as ISO strings, money as decimal strings."""
        return _json_safe(asdict(self))


def _json_safe(value):
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def introduction_steps() -> list[tuple[str, str]]:
    """The introduction lifecycle's steps in their order, read from its data
    (``STEP_TRANSITIONS``), so a step added there appears here."""
    return [(str(code), str(Step(code).label)) for code in STEP_TRANSITIONS]


def programme_figures(*, programme, period: Period, seir=None) -> ProgrammeFigures:
    now = timezone.now()
    today = timezone.localdate(now)
    s = scope.Scope(programme=programme, period=period, seir=seir, now=now)

    stages = _stage_rows(s)  # 1 query
    target_stage = next((st for st in stages if st["code"] == programme.target_stage_code), None)
    target_order = target_stage["order"] if target_stage else None
    achieved = _achieved(s, target_order)  # 1
    history = _history(s, stages)  # 1
    stats = _stage_statistics(s)  # 1
    candidates = _candidates(s, target_order)  # 1
    tallies = _tallies(s)  # 1
    funnel = scouting_funnel([programme.pk])  # 4

    stage_figures = []
    for i, st in enumerate(stages):
        reached = history[f"reached_{st['order']}"] or 0
        nxt = stages[i + 1] if i + 1 < len(stages) else None
        conversion = None
        if nxt is not None and reached:
            conversion = round(100 * (history[f"reached_{nxt['order']}"] or 0) / reached)
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
        achieved=len(achieved),
        ventures=tuple(achieved),
        days_left=days_left,
        on_track=len(achieved) >= programme.target_ventures,
    )
    forecast = _forecast(
        stages=stages,
        target_order=target_order,
        stats=stats,
        stalled_all={r["t_key"]: r["t_a"] for r in tallies if r["t_kind"] == "stalled"},
        candidates=candidates,
        achieved=len(achieved),
        today=today,
        period=period,
    )
    pipeline = Pipeline(
        stages=tuple(stage_figures),
        stuck=sum(st["stuck"] for st in stages),
        quiet=sum(st["quiet"] for st in stages),
        new_ventures=sum(st["new"] for st in stages),
        moves=history["moves"] or 0,
        stuck_after_days=programme.stuck_after_days,
        quiet_after_days=programme.quiet_after_days,
    )
    development, commissioning, scouting, week_extra = _from_tallies(tallies)
    scouting = Scouting(
        meetings=scouting.meetings,
        by_type=scouting.by_type,
        by_sector=scouting.by_sector,
        funnel=tuple(FunnelFigures(**vars(row)) for row in funnel),
    )
    week = WeekChanges(
        since=timezone.localdate(s.week_ago),
        moves=history["moves_week"] or 0,
        new_ventures=sum(st["new_week"] for st in stages),
        contracts=week_extra["contracts"],
        items_overdue=week_extra["items_overdue"],
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


def _stage_rows(s: scope.Scope) -> list[dict]:
    """The programme's stages in order, each with its ventures counted by what the
    pipeline shows (one grouped query; a stage with no venture still appears)."""
    v = "ventures__"
    in_scope = Q(**{f"{v}seir": s.seir}) if s.seir else Q()
    active = in_scope & Q(**{f"{v}status": VentureStatus.ACTIVE})

    def prefixed(q: Q) -> Q:
        return scope.prefix(q, v)

    return list(
        Stage.objects.filter(programme=s.programme)
        .values("id", "code", "name", "order")
        .annotate(
            active=Count("ventures", filter=active),
            paused=Count("ventures", filter=in_scope & Q(ventures__status=VentureStatus.PAUSED)),
            closed=Count("ventures", filter=in_scope & Q(ventures__status=VentureStatus.CLOSED)),
            stuck=Count("ventures", filter=active & prefixed(s.stuck_q())),
            quiet=Count("ventures", filter=active & prefixed(s.quiet_q())),
            new=Count("ventures", filter=in_scope & prefixed(s.new_q())),
            new_week=Count("ventures", filter=in_scope & prefixed(s.new_week_q())),
        )
        .order_by("order")
    )


def _achieved(s: scope.Scope, target_order: int | None) -> list[AchievedVenture]:
    if target_order is None:
        return []
    rows = (
        scope.first_reach(s, target_order)
        .filter(first_reached__gte=s.period.start_at, first_reached__lt=s.period.end_before)
        .values(
            "venture_id",
            "venture__name",
            "venture__status",
            "venture__stage__name",
            "venture__stage__order",
            "first_reached",
        )
        .order_by("first_reached", "venture_id")
    )
    return [
        AchievedVenture(
            id=r["venture_id"],
            name=r["venture__name"],
            reached_on=timezone.localdate(r["first_reached"]),
            stage=r["venture__stage__name"],
            status=r["venture__status"],
            moved_back=r["venture__stage__order"] < target_order,
            paused=r["venture__status"] == VentureStatus.PAUSED,
            closed=r["venture__status"] == VentureStatus.CLOSED,
        )
        for r in rows
    ]


def _history(s: scope.Scope, stages: list[dict]) -> dict:
    """How many ventures ever reached each stage (or a later one), and the moves."""
    counts = {
        f"reached_{st['order']}": Count(
            "venture_id", distinct=True, filter=Q(to_stage__order__gte=st["order"])
        )
        for st in stages
    }
    return scope.stage_changes(s).aggregate(
        **counts,
        moves=Count("id", filter=s.moves_q()),
        moves_week=Count("id", filter=s.moves_week_q()),
    )


def _stage_statistics(s: scope.Scope) -> dict:
    """Per stage code, for this programme ("own") and for all programmes ("all"): how
    many times a venture left the stage, how many of those moves were forward, and the
    median days spent in the stage before leaving. One query: each exit's time in stage
    is its date less the venture's latest entry into that stage before it, and the
    medians are the middle rows of each stage's exits ordered by that time (window
    functions), so at most two rows per stage and scope come back."""
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
        When(venture__programme_id=s.programme.pk, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    forward = Case(
        When(to_stage__order__gt=F("from_stage__order"), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    exits = StageChange.objects.filter(from_stage__isnull=False)
    if s.seir:
        # The SEiR filter narrows this programme's figures; all programmes' stay whole.
        exits = exits.filter(~Q(venture__programme_id=s.programme.pk) | Q(venture__seir=s.seir))
    code = F("from_stage__code")
    rows = (
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


def _is_middle(rn: int, n: int) -> bool:
    return 2 * rn >= n and 2 * rn <= n + 2


def _candidates(s: scope.Scope, target_order: int | None) -> list[tuple[int, object, int]]:
    """(stage order, day entered the stage, how many) of the active ventures that can still
    count: below the target stage and never in it or beyond. One grouped values() query:
    ventures in the same stage since the same day have the same chance."""
    if target_order is None:
        return []
    return list(
        scope.ventures(s)
        .filter(status=VentureStatus.ACTIVE, stage__order__lt=target_order)
        .exclude(stage_changes__to_stage__order__gte=target_order)
        .annotate(entered_on=TruncDate("stage_entered_at"))
        .values_list("stage__order", "entered_on")
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
        if needed > days_left:
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


_TEXT = CharField()
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _tallies(s: scope.Scope) -> list[dict]:
    """Counts and sums of the development, commissioning and scouting figures, each a
    grouped query, sent as ONE query (UNION ALL). Rows: kind, key, label, a, b, c, x, y."""

    def row(qs, kind, key, label, a, b=None, c=None, x=None, y=None):
        zero = Value(0, output_field=IntegerField())
        none = Cast(Value(None), _MONEY)  # typed NULL: PostgreSQL types a UNION by its first rows
        return (
            qs.annotate(
                t_kind=Value(kind, output_field=_TEXT),
                t_key=Cast(key, _TEXT) if not isinstance(key, str) else Value(key, _TEXT),
                t_label=Cast(label, _TEXT) if not isinstance(label, str) else Value(label, _TEXT),
            )
            .values("t_kind", "t_key", "t_label")
            .annotate(
                t_a=a,
                t_b=b if b is not None else zero,
                t_c=c if c is not None else zero,
                t_x=x if x is not None else none,
                t_y=y if y is not None else none,
            )
            .order_by()
        )

    # Only the rows either count can include (the (due date, status) and expiry indexes
    # find them): the FILTERs below then split them.
    items = scope.items(s).filter(s.overdue_q() | s.expiring_q())
    parts = [
        row(
            items,
            "items",
            "",
            "",
            Count("id", filter=s.overdue_q()),
            Count("id", filter=s.expiring_q()),
            Count("id", filter=s.overdue_week_q()),
        ),
        row(scope.plans(s), "plan", F("status"), "", Count("id")),
        row(
            scope.applications(s),
            "fund",
            F("fund_id"),
            F("fund__name"),
            Count("id", filter=s.applied_q()),
            Count("id", filter=s.awarded_q()),
            None,
            Sum("amount_requested", filter=s.applied_q()),
            Sum("amount_awarded", filter=s.awarded_q()),
        ),
        row(
            scope.indicators(s),
            "domain",
            F("domain__number"),
            F("domain__name"),
            Count("id"),
            Count("venture_id", distinct=True),
        ),
        row(scope.introductions(s), "step", F("step"), "", Count("id")),
        row(
            scope.contracts(s),
            "contract",
            F("status"),
            "",
            Count("id"),
            Count("id", filter=s.contract_week_q()),
            None,
            Sum("value"),
        ),
        row(scope.meetings(s), "meeting_type", F("meeting_type"), "", Count("id")),
        # Every programme's ventures paused or closed, by the code of the stage they are
        # in: they left the pipeline there (the forecast's all-programmes conversion).
        row(
            Venture.objects.filter(status__in=[VentureStatus.PAUSED, VentureStatus.CLOSED]),
            "stalled",
            F("stage__code"),
            "",
            Count("id"),
        ),
        row(
            scope.meeting_sectors(s),
            "meeting_sector",
            F("organisation__sector"),
            "",
            Count("meeting_id", distinct=True),
        ),
    ]
    first, *rest = parts
    return list(first.union(*rest, all=True))


def _from_tallies(tallies: list[dict]):
    by_kind: dict[str, list[dict]] = {}
    for r in tallies:
        by_kind.setdefault(r["t_kind"], []).append(r)
    items = (by_kind.get("items") or [{"t_a": 0, "t_b": 0, "t_c": 0}])[0]
    plan_counts = {r["t_key"]: r["t_a"] for r in by_kind.get("plan", [])}
    funds = tuple(
        sorted(
            (
                FundFigures(
                    fund_id=int(r["t_key"]),
                    name=r["t_label"],
                    applied=r["t_a"],
                    requested=_money(r["t_x"]),
                    awarded=r["t_b"],
                    awarded_amount=_money(r["t_y"]),
                )
                for r in by_kind.get("fund", [])
                if r["t_a"] or r["t_b"]
            ),
            key=lambda f: f.name,
        )
    )
    domains = tuple(
        sorted(
            (
                DomainFigures(int(r["t_key"]), r["t_label"], r["t_a"], r["t_b"])
                for r in by_kind.get("domain", [])
            ),
            key=lambda d: d.number,
        )
    )
    development = Development(
        items_overdue=items["t_a"] or 0,
        items_expiring=items["t_b"] or 0,
        expiring_within_days=scope.EXPIRING_WITHIN_DAYS,
        plans=tuple(Tally(c, str(label), plan_counts.get(c, 0)) for c, label in PlanStatus.choices),
        funds=funds,
        applied_total=sum((f.requested for f in funds), Decimal("0.00")),
        awarded_total=sum((f.awarded_amount for f in funds), Decimal("0.00")),
        domains=domains,
    )
    steps = {r["t_key"]: r["t_a"] for r in by_kind.get("step", [])}
    contracts = {r["t_key"]: r for r in by_kind.get("contract", [])}
    from commissioning.models.contracts import ContractStatus

    commissioning = Commissioning(
        steps=tuple(Tally(c, str(label), steps.get(c, 0)) for c, label in introduction_steps()),
        contracts=tuple(
            Tally(
                c,
                str(label),
                contracts[c]["t_a"] if c in contracts else 0,
                _money(contracts[c]["t_x"] if c in contracts else None),
            )
            for c, label in ContractStatus.choices
        ),
        contract_count=sum(r["t_a"] for r in contracts.values()),
        contract_value=sum((_money(r["t_x"]) for r in contracts.values()), Decimal("0.00")),
    )
    types = {r["t_key"]: r["t_a"] for r in by_kind.get("meeting_type", [])}
    sectors = {r["t_key"]: r["t_a"] for r in by_kind.get("meeting_sector", [])}
    scouting = Scouting(
        meetings=sum(types.values()),
        by_type=tuple(Tally(c, str(label), types.get(c, 0)) for c, label in MeetingType.choices),
        by_sector=tuple(Tally(c, str(label), sectors.get(c, 0)) for c, label in Sector.choices),
        funnel=(),
    )
    week = {
        "contracts": sum(r["t_b"] for r in contracts.values()),
        "items_overdue": items["t_c"] or 0,
    }
    return development, commissioning, scouting, week


def _money(value) -> Decimal:
    if value is None:
        return Decimal("0.00")
    return Decimal(value).quantize(Decimal("0.01"))
