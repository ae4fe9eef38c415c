"""The figures of a PCT manager's weekly digest, for one programme and one week.

Computed in a fixed number of queries: stage moves, new ventures, contracts, and the
checklist items overdue and progress towards the programme's target, which come from the
dashboard's own figures (``progress.selectors.programme_figures``) so that every page
and email counts them one way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import Programme
from commissioning.models import Contract
from progress.periods import programme_period
from progress.selectors import programme_figures
from ventures.models import StageChange, Venture

# The digest lists at most this many of each; the counts are always whole.
LISTED = 20


@dataclass
class Line:
    text: str
    path: str


@dataclass
class Digest:
    programme: Programme
    week_start: dt.date
    week_end: dt.date  # exclusive
    week_last: dt.date  # the week's Sunday
    moves: int = 0
    move_lines: list[Line] = field(default_factory=list)
    new_ventures: int = 0
    new_lines: list[Line] = field(default_factory=list)
    contracts: int = 0
    contract_lines: list[Line] = field(default_factory=list)
    overdue_items: int = 0
    target: int = 0
    reached: int = 0
    target_stage: str = ""


def _venture(pk: int) -> str:
    return reverse("ventures:detail", args=[pk])


def _bounds(week_start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(week_start, dt.time()))
    return start, start + dt.timedelta(days=7)


def digest_for(*, programme: Programme, week_start: dt.date, today: dt.date) -> Digest:
    start, end = _bounds(week_start)
    digest = Digest(
        programme=programme,
        week_start=week_start,
        week_end=week_start + dt.timedelta(days=7),
        week_last=week_start + dt.timedelta(days=6),
        target=programme.target_ventures,
    )
    moves = (
        StageChange.objects.filter(
            venture__programme=programme,
            from_stage__isnull=False,
            changed_at__gte=start,
            changed_at__lt=end,
        )
        .order_by("changed_at", "id")
        .values(
            "venture_id",
            venture_name=F("venture__name"),
            from_name=F("from_stage__name"),
            to_name=F("to_stage__name"),
        )
    )
    moves = list(moves)
    digest.moves = len(moves)
    digest.move_lines = [
        Line(f"{m['venture_name']}: {m['from_name']} → {m['to_name']}", _venture(m["venture_id"]))
        for m in moves[:LISTED]
    ]
    new = list(
        Venture.objects.filter(programme=programme, created_at__gte=start, created_at__lt=end)
        .order_by("created_at", "id")
        .values("pk", "name")
    )
    digest.new_ventures = len(new)
    digest.new_lines = [Line(v["name"], _venture(v["pk"])) for v in new[:LISTED]]
    contracts = list(
        Contract.objects.filter(
            venture__programme=programme, created_at__gte=start, created_at__lt=end
        )
        .order_by("created_at", "id")
        .values("pk", "service", "value", venture_name=F("venture__name"))
    )
    digest.contracts = len(contracts)
    digest.contract_lines = [
        Line(
            f"{c['venture_name']}: {c['service']} (£{c['value']:,.2f})",
            reverse("commissioning:contract", args=[c["pk"]]),
        )
        for c in contracts[:LISTED]
    ]
    # The dashboard's definition: ventures whose first entry into the target stage (or a
    # later one) falls inside the programme's period, whatever happened to them since.
    figures = programme_figures(programme=programme, period=programme_period(programme))
    target = figures.target
    digest.target = target.number
    digest.reached = target.achieved
    digest.target_stage = target.stage_name
    # The dashboard's "checklist items overdue" (whatever the venture's status), the number
    # the email's link to the dashboard opens.
    digest.overdue_items = figures.development.items_overdue
    return digest
