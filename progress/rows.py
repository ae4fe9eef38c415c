"""The rows behind each dashboard figure that no existing list shows (checklist items,
plans, funding, outcome indicators, introductions, contracts across a programme, the
target's ventures, stage moves, new and quiet ventures, the ventures of the scouting
funnel). Read-only, built from the same
``progress.scope`` conditions the figures aggregate, so a list has as many rows as its
figure counts (and its amounts add up to the figure's sum)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, IntegerField, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone

from commissioning.models.contracts import ContractStatus
from commissioning.models.referrals import STEP_TRANSITIONS
from plans.models import PlanStatus
from scouting.models import Sector
from ventures.models import VentureStatus

from . import scope


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[object], object]
    numeric: bool = False


@dataclass(frozen=True)
class RowKind:
    code: str
    title: str
    rows: Callable[[scope.Scope, str], QuerySet]
    columns: tuple[Column, ...]
    keys: Callable[[], list[str]] | None = None  # allowed ?key= values, None if unused
    total: str | None = None  # the money field whose sum the figure shows (GBP)


def _achieved(s: scope.Scope, key: str) -> QuerySet:
    order = scope.target_order(s)
    if order is None:
        return scope.ventures(s).none()
    return (
        scope.ventures(s)
        .filter(pk__in=scope.achieved(s, order).values("venture_id"))
        .select_related("stage")
        .annotate(target_order=Value(order, IntegerField()))
        .order_by("name", "pk")
    )


def _flag(v) -> str:
    notes = []
    if v.stage.order < v.target_order:
        notes.append("moved back")
    if v.status == VentureStatus.PAUSED:
        notes.append("paused")
    if v.status == VentureStatus.CLOSED:
        notes.append("closed")
    return ", ".join(notes)


def _date(value):
    return timezone.localtime(value).date() if value else None


KINDS: dict[str, RowKind] = {}


def _register(kind: RowKind) -> None:
    KINDS[kind.code] = kind


_register(
    RowKind(
        "achieved",
        "Ventures counting towards the target",
        _achieved,
        (
            Column("Venture", lambda v: v),
            Column("Stage now", lambda v: v.stage.name),
            Column("Status", lambda v: v.get_status_display()),
            Column("Flag", _flag),
        ),
    )
)
_register(
    RowKind(
        "moves",
        "Stage moves in the period",
        lambda s, key: (
            scope.stage_changes(s)
            .filter(s.moves_q())
            .select_related("venture", "from_stage", "to_stage")
            .order_by("-changed_at", "-id")
        ),
        (
            Column("Venture", lambda c: c.venture),
            Column("From", lambda c: c.from_stage.name),
            Column("To", lambda c: c.to_stage.name),
            Column("On", lambda c: _date(c.changed_at)),
        ),
    )
)
_register(
    RowKind(
        "new",
        "Ventures added in the period",
        lambda s, key: (
            scope.ventures(s)
            .filter(s.new_q())
            .select_related("stage")
            .order_by("-created_at", "-id")
        ),
        (
            Column("Venture", lambda v: v),
            Column("Stage", lambda v: v.stage.name),
            Column("Added", lambda v: _date(v.created_at)),
        ),
    )
)
_register(
    RowKind(
        "quiet",
        "Quiet ventures (no activity for the programme's “quiet after” days)",
        lambda s, key: (
            scope.ventures(s)
            .filter(s.quiet_q(), status=VentureStatus.ACTIVE)
            .select_related("stage")
            .order_by(F("last_activity_at").asc(nulls_first=True), "pk")
        ),
        (
            Column("Venture", lambda v: v),
            Column("Stage", lambda v: v.stage.name),
            Column("Last activity", lambda v: _date(v.last_activity_at) or "None recorded"),
        ),
    )
)


def _items(condition: str) -> Callable:
    def rows(s: scope.Scope, key: str) -> QuerySet:
        return (
            scope.items(s)
            .filter(getattr(s, condition)())
            .select_related("checklist__venture")
            .order_by("due_date", "expires_on", "pk")
        )

    return rows


_ITEM_COLUMNS = (
    Column("Venture", lambda i: i.checklist.venture),
    Column("Item", lambda i: i.label),
    Column("Status", lambda i: i.get_status_display()),
    Column("Due", lambda i: i.due_date),
    Column("Evidence valid until", lambda i: i.expires_on),
)
_register(RowKind("overdue", "Checklist items overdue", _items("overdue_q"), _ITEM_COLUMNS))
_register(
    RowKind(
        "expiring",
        f"Checklist items whose evidence expires within {scope.EXPIRING_WITHIN_DAYS} days",
        _items("expiring_q"),
        _ITEM_COLUMNS,
    )
)
_register(
    RowKind(
        "plans",
        "Business plans",
        lambda s, key: (
            scope.plans(s)
            .filter(status=key)
            .select_related("venture")
            .order_by("venture__name", "pk")
        ),
        (
            Column("Venture", lambda p: p.venture),
            Column("State", lambda p: p.get_status_display()),
            Column("Latest version", lambda p: p.latest_number, True),
        ),
        keys=lambda: list(PlanStatus.values),
    )
)


def _funding(condition: str) -> Callable:
    def rows(s: scope.Scope, key: str) -> QuerySet:
        return (
            scope.applications(s)
            .filter(getattr(s, condition)(), fund_id=key)
            .select_related("venture", "fund")
            .order_by("venture__name", "pk")
        )

    return rows


_FUNDING_COLUMNS = (
    Column("Venture", lambda a: a.venture),
    Column("Fund", lambda a: a.fund.name),
    Column("Status", lambda a: a.get_status_display()),
    Column("Submitted", lambda a: a.submitted_on),
    Column("Requested (£)", lambda a: a.amount_requested, True),
    Column("Awarded (£)", lambda a: a.amount_awarded, True),
)
_register(
    RowKind(
        "applied",
        "Funding applied for",
        _funding("applied_q"),
        _FUNDING_COLUMNS,
        total="amount_requested",
    )
)
_register(
    RowKind(
        "awarded",
        "Funding awarded",
        _funding("awarded_q"),
        _FUNDING_COLUMNS,
        total="amount_awarded",
    )
)
_register(
    RowKind(
        "indicators",
        "Outcome indicators",
        lambda s, key: (
            scope.indicators(s)
            .filter(domain__number=key)
            .select_related("venture", "domain")
            .order_by("venture__name", "name", "pk")
        ),
        (
            Column("Venture", lambda i: i.venture),
            Column("Indicator", lambda i: i.name),
            Column("Domain", lambda i: f"{i.domain.number}. {i.domain.name}"),
            Column("Unit", lambda i: i.unit),
        ),
    )
)
_register(
    RowKind(
        "introductions",
        "Introductions made in the period",
        lambda s, key: (
            scope.introductions(s)
            .filter(step=key)
            .select_related("venture", "commissioner")
            .order_by("-made_on", "-pk")
        ),
        (
            Column("Venture", lambda i: i.venture),
            Column("Commissioner", lambda i: i.commissioner.name),
            Column("Step", lambda i: i.get_step_display()),
            Column("Made on", lambda i: i.made_on),
        ),
        keys=lambda: list(STEP_TRANSITIONS),
    )
)
_register(
    RowKind(
        "contracts",
        "Contracts starting in the period",
        lambda s, key: (
            scope.contracts(s)
            .filter(Q(status=key) if key else Q())
            .select_related("venture", "commissioner")
            .order_by("-start_date", "-pk")
        ),
        (
            Column("Venture", lambda c: c.venture),
            Column("Commissioner", lambda c: c.commissioner.name),
            Column("Service", lambda c: c.service),
            Column("Status", lambda c: c.get_status_display()),
            Column("Starts", lambda c: c.start_date),
            Column("Value (£)", lambda c: c.value, True),
        ),
        keys=lambda: ["", *ContractStatus.values],
        total="value",
    )
)


def _funnel(counting: bool) -> Callable:
    def rows(s: scope.Scope, key: str) -> QuerySet:
        links = scope.funnel_sources(s, key).filter(scope.funnel_venture_q(s))
        if counting:
            order = scope.target_order(s)
            if order is None:
                return scope.ventures(s).none()
            links = links.filter(scope.funnel_counting_q(s, order))
        return (
            scope.ventures(s)
            .filter(pk__in=links.values("idea__venture_id"))
            .select_related("stage")
            .order_by("name", "pk")
        )

    return rows


_FUNNEL_COLUMNS = (
    Column("Venture", lambda v: v),
    Column("Stage now", lambda v: v.stage.name),
    Column("Status", lambda v: v.get_status_display()),
)
_register(
    RowKind(
        "funnel_ventures",
        "Ventures from ideas that came from meetings held in the period",
        _funnel(counting=False),
        _FUNNEL_COLUMNS,
        keys=lambda: ["", *Sector.values],
    )
)
_register(
    RowKind(
        "funnel_counting",
        "Ventures from meetings held in the period that count towards the target",
        _funnel(counting=True),
        _FUNNEL_COLUMNS,
        keys=lambda: ["", *Sector.values],
    )
)


def rows_url(kind: str, query: str, key: str = "") -> str:
    url = reverse("progress:rows", args=[kind])
    params = "&".join(p for p in (query, f"key={key}" if key else "") if p)
    return f"{url}?{params}" if params else url
