"""The development, commissioning and scouting counts and sums of the programme's
figures: one UNION ALL query of grouped tallies (``_tallies``) and the figures built from
its rows (``_from_tallies``)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import CharField, Count, DecimalField, F, IntegerField, Sum, Value
from django.db.models.functions import Cast

from commissioning.models.referrals import STEP_TRANSITIONS, Step
from plans.models import PlanStatus
from scouting.models import EVERY_MEETING, MeetingType, Sector
from ventures.models import Venture, VentureStatus

from . import scope
from .figures import (
    Commissioning,
    Development,
    DomainFigures,
    FundFigures,
    FunnelFigures,
    Scouting,
    Tally,
)


def introduction_steps() -> list[tuple[str, str]]:
    """The introduction lifecycle's steps in their order, read from its data
    (``STEP_TRANSITIONS``), so a step added there appears here."""
    return [(str(code), str(Step(code).label)) for code in STEP_TRANSITIONS]


_TEXT = CharField()
_MONEY = DecimalField(max_digits=14, decimal_places=2)


@scope.prepared_on_scope(server=False)
def _tallies(s: scope.Scope):
    """Counts and sums of the development, commissioning and scouting figures, each a
    grouped query, sent as ONE query (UNION ALL), built and compiled once per connection
    (``scope.prepared_on_scope``). Rows: kind, key, label, a, b, c, x, y.

    Not a PostgreSQL prepared statement: the plan it settled on for every set of values
    (after five runs) read the period's rows far more slowly than one made for the
    request's own dates (~100 against ~60 ms of the server's CPU a dashboard at 10,000
    ventures), so the server plans it afresh each time."""

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

    parts = [_items_row(s, row)]
    parts += [
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
        _introductions_row(s, row),
        _contracts_row(s, row),
        # The contracts recorded in the week whatever their start (the week strip): the
        # few rows of the created_at index, each joined to its venture.
        row(
            scope.contracts_of_ventures(s).filter(s.contract_week_q()),
            "contract_week",
            "",
            "",
            Count("id"),
        ),
        row(
            scope.meeting_tallies(s).filter(sector=EVERY_MEETING),
            "meeting_type",
            F("meeting_type"),
            "",
            Sum("meetings"),
        ),
        # Every programme's ventures paused or closed, by the code of the stage they are
        # in: they left the pipeline there (the forecast's all-programmes conversion).
        row(
            Venture.objects.filter(status__in=[VentureStatus.PAUSED, VentureStatus.CLOSED]),
            "stalled",
            F("stage__code"),
            "",
            Count("id"),
        ),
        # The stage moves (not a venture's first entry) within the period and the week.
        row(
            scope.stage_changes(s).filter(s.moves_q() | s.moves_week_q()),
            "moves",
            "",
            "",
            Count("id", filter=s.moves_q()),
            Count("id", filter=s.moves_week_q()),
        ),
        row(
            scope.meeting_tallies(s).exclude(sector=EVERY_MEETING),
            "meeting_sector",
            F("sector"),
            "",
            Sum("meetings"),
        ),
    ]
    # The scouting funnel (scope.funnel_sources): ideas from the meetings in scope, those
    # that became ventures, and of these the ones counting towards the target; by sector
    # and in all (distinct ideas, so not the sum of the sectors: the EVERY_MEETING group).
    # Each idea's one first row in the period is counted (scope.funnel_first_q), with
    # what the rows keep of the idea's venture: no sort, no join.
    parts.append(
        row(
            scope.funnel_every_source(s).filter(scope.funnel_first_q(s)),
            "funnel",
            F("sector"),
            "",
            Count("id"),
            Count("id", filter=scope.funnel_source_venture_q(s)),
            Count("id", filter=scope.funnel_source_counting_q(s)),
        )
    )
    first, *rest = parts
    return first.union(*rest, all=True)


def _items_row(s: scope.Scope, row):
    """Overdue, expiring and overdue-this-week checklist items. For the whole programme:
    sums over the day rows every item write keeps (``checklists.ItemDay``). Narrowed to
    one SEiR's ventures (the day rows do not split by SEiR): counted from the items, only
    the rows either count can include (the (due date, status) and expiry indexes find
    them); the FILTERs then split them. Both read ``progress.scope``'s conditions."""
    if s.seir_id is None:
        days = scope.item_days(s)
        return row(
            days,
            "items",
            "",
            "",
            Sum("open_due", filter=scope.day_before_today(s)),
            Sum("accepted_expiring", filter=scope.day_expiring(s)),
            Sum("open_due", filter=scope.day_overdue_week(s)),
        )
    items = scope.items(s).filter(s.overdue_q() | s.expiring_q())
    return row(
        items,
        "items",
        "",
        "",
        Count("id", filter=s.overdue_q()),
        Count("id", filter=s.expiring_q()),
        Count("id", filter=s.overdue_week_q()),
    )


def _introductions_row(s: scope.Scope, row):
    """The period's introductions by their current step. For the whole programme: sums
    over the day rows every introduction write keeps (``commissioning.IntroductionDay``).
    Narrowed to one SEiR's ventures (the day rows do not split by SEiR): counted from the
    introductions. Both read ``progress.scope``'s period."""
    if s.seir_id is None:
        return row(scope.introduction_days(s), "step", F("step"), "", Sum("introductions"))
    return row(scope.introductions(s), "step", F("step"), "", Count("id"))


def _contracts_row(s: scope.Scope, row):
    """The period's contracts (starting in it) by status, with their value. For the
    whole programme: sums over the day rows every contract write keeps
    (``commissioning.ContractDay``). Narrowed to one SEiR's ventures (the day rows do not
    split by SEiR): counted from the contracts. Both read ``progress.scope``'s period."""
    if s.seir_id is None:
        days = scope.contract_days(s)
        return row(days, "contract", F("status"), "", Sum("contracts"), x=Sum("value"))
    return row(scope.contracts(s), "contract", F("status"), "", Count("id"), x=Sum("value"))


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
    meetings = sum(types.values())
    scouting = Scouting(
        meetings=meetings,
        by_type=tuple(Tally(c, str(label), types.get(c, 0)) for c, label in MeetingType.choices),
        by_sector=tuple(Tally(c, str(label), sectors.get(c, 0)) for c, label in Sector.choices),
        funnel=_funnel(by_kind, sectors, meetings),
    )
    moves = (by_kind.get("moves") or [{"t_a": 0, "t_b": 0}])[0]
    counts = {
        "moves": moves["t_a"] or 0,
        "moves_week": moves["t_b"] or 0,
        "contracts_week": sum(r["t_a"] for r in by_kind.get("contract_week", [])),
        "items_overdue_week": items["t_c"] or 0,
    }
    return development, commissioning, scouting, counts


def _funnel(by_kind: dict, sectors: dict, meetings: int) -> tuple[FunnelFigures, ...]:
    """One row per sector (in Sector order; a sector with no meeting and no idea left
    out), then "All sectors". A sector's meetings are the "by sector represented" figure;
    all sectors' are every meeting in scope, with or without an organisation."""
    ideas = {r["t_key"]: r for r in by_kind.get("funnel", [])}
    none = {"t_a": 0, "t_b": 0, "t_c": 0}

    def row(code, label, meetings_, r):
        return FunnelFigures(code, label, meetings_, r["t_a"], r["t_b"], r["t_c"] or 0)

    rows = [
        row(code, str(label), sectors.get(code, 0), ideas.get(code, none))
        for code, label in Sector.choices
        if sectors.get(code) or code in ideas
    ]
    rows.append(row("all", "All sectors", meetings, ideas.get(EVERY_MEETING, none)))
    return tuple(rows)


def _money(value) -> Decimal:
    if value is None:
        return Decimal("0.00")
    return Decimal(value).quantize(Decimal("0.01"))
