"""The rows behind each dashboard figure that no existing list shows (checklist items,
plans, funding, outcome indicators, introductions, contracts across a programme, the
target's ventures, stage moves, new and quiet ventures, the ventures of the scouting
funnel). Read-only, built from the same ``progress.scope`` conditions the figures
aggregate, so a list has as many rows as its figure counts (and its amounts add up to
the figure's sum).

A column names the values it reads (``fields``) and makes its cell from one ``values()``
row, so a list is read as plain values, never as model instances: the page draws these
cells and a report freezes the same ones (``progress.snapshot``), tens of thousands of
rows at scale without building a model per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, IntegerField, Q, QuerySet, Value
from django.utils import timezone
from django.utils.encoding import force_str

from checklists.models import ChecklistItem
from commissioning.models import Contract, Introduction
from commissioning.models.contracts import ContractStatus
from commissioning.models.referrals import STEP_TRANSITIONS
from funding.models import FundingApplication
from plans.models import BusinessPlan, PlanStatus
from scouting.models import Sector
from seir.links import link
from ventures.models import Venture, VentureStatus

from . import scope


@dataclass(frozen=True)
class Column:
    header: str
    fields: tuple[str, ...]  # the values() this column reads
    value: Callable[[dict], object]  # its cell, from one values() row
    numeric: bool = False


@dataclass(frozen=True)
class RowKind:
    code: str
    title: str
    rows: Callable[[scope.Scope, str], QuerySet]
    columns: tuple[Column, ...]
    keys: Callable[[], list[str]] | None = None  # allowed ?key= values, None if unused
    total: str | None = None  # the money field whose sum the figure shows (GBP)

    def values(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` (from ``rows``) as the values its columns read, in its order."""
        return queryset.values(*dict.fromkeys(f for c in self.columns for f in c.fields))

    def cells(self, row: dict) -> list:
        return [column.value(row) for column in self.columns]


@dataclass(frozen=True)
class VentureCell:
    """A venture in a list's first column: its name, linked to its page by ``pk``."""

    pk: int
    name: str

    def __str__(self) -> str:
        return self.name


def _venture(path: str = "") -> Column:
    """The venture at ``path`` (e.g. ``venture__``; "" in a list of ventures)."""
    pk, name = f"{path}id", f"{path}name"
    return Column("Venture", (pk, name), lambda r: VentureCell(r[pk], r[name]))


def _field(header: str, path: str, numeric: bool = False) -> Column:
    return Column(header, (path,), lambda r: r[path], numeric)


def _choice(header: str, model, name: str) -> Column:
    """A choice field shown by its label, as ``get_<name>_display()`` shows it."""
    labels = dict(model._meta.get_field(name).flatchoices)
    return Column(
        header, (name,), lambda r: force_str(labels.get(r[name], r[name]), strings_only=True)
    )


def _date(value):
    return timezone.localtime(value).date() if value else None


def _day(header: str, path: str, default=None) -> Column:
    """The local day of a moment (``default`` when there is none)."""
    return Column(header, (path,), lambda r: _date(r[path]) or default)


def _achieved(s: scope.Scope, key: str) -> QuerySet:
    order = scope.target_order(s)
    if order is None:
        return scope.ventures(s).none()
    return (
        scope.achieved(s).annotate(target_order=Value(order, IntegerField())).order_by("name", "pk")
    )


def _flag(r: dict) -> str:
    notes = []
    if r["stage__order"] < r["target_order"]:
        notes.append("moved back")
    if r["status"] == VentureStatus.PAUSED:
        notes.append("paused")
    if r["status"] == VentureStatus.CLOSED:
        notes.append("closed")
    return ", ".join(notes)


KINDS: dict[str, RowKind] = {}


def _register(kind: RowKind) -> None:
    KINDS[kind.code] = kind


_register(
    RowKind(
        "achieved",
        "Ventures counting towards the target",
        _achieved,
        (
            _venture(),
            _field("Stage now", "stage__name"),
            _choice("Status", Venture, "status"),
            Column("Flag", ("stage__order", "target_order", "status"), _flag),
        ),
    )
)
_register(
    RowKind(
        "moves",
        "Stage moves in the period",
        lambda s, key: scope.stage_changes(s).filter(s.moves_q()).order_by("-changed_at", "-id"),
        (
            _venture("venture__"),
            _field("From", "from_stage__name"),
            _field("To", "to_stage__name"),
            _day("On", "changed_at"),
        ),
    )
)
_register(
    RowKind(
        "new",
        "Ventures added in the period",
        lambda s, key: scope.ventures(s).filter(s.new_q()).order_by("-created_at", "-id"),
        (
            _venture(),
            _field("Stage", "stage__name"),
            _day("Added", "created_at"),
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
            .order_by(F("last_activity_at").asc(nulls_first=True), "pk")
        ),
        (
            _venture(),
            _field("Stage", "stage__name"),
            _day("Last activity", "last_activity_at", "None recorded"),
        ),
    )
)


def _items(condition: str) -> Callable:
    def rows(s: scope.Scope, key: str) -> QuerySet:
        return (
            scope.items(s).filter(getattr(s, condition)()).order_by("due_date", "expires_on", "pk")
        )

    return rows


_ITEM_COLUMNS = (
    _venture("checklist__venture__"),
    _field("Item", "label"),
    _choice("Status", ChecklistItem, "status"),
    _field("Due", "due_date"),
    _field("Evidence valid until", "expires_on"),
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
        lambda s, key: scope.plans(s).filter(status=key).order_by("venture__name", "pk"),
        (
            _venture("venture__"),
            _choice("State", BusinessPlan, "status"),
            _field("Latest version", "latest_number", numeric=True),
        ),
        keys=lambda: list(PlanStatus.values),
    )
)


def _funding(condition: str) -> Callable:
    def rows(s: scope.Scope, key: str) -> QuerySet:
        return (
            scope.applications(s)
            .filter(getattr(s, condition)(), fund_id=key)
            .order_by("venture__name", "pk")
        )

    return rows


_FUNDING_COLUMNS = (
    _venture("venture__"),
    _field("Fund", "fund__name"),
    _choice("Status", FundingApplication, "status"),
    _field("Submitted", "submitted_on"),
    _field("Requested (£)", "amount_requested", numeric=True),
    _field("Awarded (£)", "amount_awarded", numeric=True),
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
            scope.indicators(s).filter(domain__number=key).order_by("venture__name", "name", "pk")
        ),
        (
            _venture("venture__"),
            _field("Indicator", "name"),
            Column(
                "Domain",
                ("domain__number", "domain__name"),
                lambda r: f"{r['domain__number']}. {r['domain__name']}",
            ),
            _field("Unit", "unit"),
        ),
    )
)
_register(
    RowKind(
        "introductions",
        "Introductions made in the period",
        lambda s, key: scope.introductions(s).filter(step=key).order_by("-made_on", "-pk"),
        (
            _venture("venture__"),
            _field("Commissioner", "commissioner__name"),
            _choice("Step", Introduction, "step"),
            _field("Made on", "made_on"),
        ),
        keys=lambda: list(STEP_TRANSITIONS),
    )
)
_register(
    RowKind(
        "contracts",
        "Contracts starting in the period",
        lambda s, key: (
            scope.contracts(s).filter(Q(status=key) if key else Q()).order_by("-start_date", "-pk")
        ),
        (
            _venture("venture__"),
            _field("Commissioner", "commissioner__name"),
            _field("Service", "service"),
            _choice("Status", Contract, "status"),
            _field("Starts", "start_date"),
            _field("Value (£)", "value", numeric=True),
        ),
        keys=lambda: ["", *ContractStatus.values],
        total="value",
    )
)


def _funnel(counting: bool) -> Callable:
    def rows(s: scope.Scope, key: str) -> QuerySet:
        links = scope.funnel_sources(s, key).filter(scope.funnel_venture_q(s))
        if counting:
            links = links.filter(scope.funnel_counting_q(s))
        return (
            scope.ventures(s).filter(pk__in=links.values("idea__venture_id")).order_by("name", "pk")
        )

    return rows


_FUNNEL_COLUMNS = (
    _venture(),
    _field("Stage now", "stage__name"),
    _choice("Status", Venture, "status"),
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
    url = link("progress:rows", kind)
    params = "&".join(p for p in (query, f"key={key}" if key else "") if p)
    return f"{url}?{params}" if params else url
