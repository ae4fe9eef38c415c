"""The programme's figures as values: the frozen dataclasses ``programme_figures``
returns (``ProgrammeFigures`` and its parts), and their JSON-safe form for snapshots."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.utils import timezone


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

    @property
    def period_over(self) -> bool:
        """The period ended before these figures were counted: its forecast is what it
        achieved, and nothing can still count."""
        return timezone.localdate(self.computed_at) > self.period_end

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
