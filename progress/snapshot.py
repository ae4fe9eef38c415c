"""What a target report freezes: the figures and the rows behind the headline ones.

The rows come from the same ``progress.rows`` kinds (and ``progress.scope`` conditions)
as the dashboard's lists, so a frozen list has as many rows as its frozen figure counts.
Every cell is stored as plain JSON (text, numbers as text); no model is referenced, so a
later change to a venture, an item or a contract cannot reach a stored report.

No personal data from scouting is read here: the scouting figures are aggregates, and
none of these rows is a person, a meeting or an idea.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ventures.models import VentureStatus

from . import rows as row_kinds
from . import scope
from .periods import Period

# The headline figures whose rows a report keeps, in the order the report shows them.
HEADLINE_ROWS = ("achieved", "stuck", "quiet", "new", "moves", "overdue", "expiring", "contracts")
# Checklist items are the longest lists (tens of thousands at scale): load only what their
# columns show (a test pins the queries, so a column needing more fails it, not prod).
_ITEM_FIELDS = (
    "id",
    "label",
    "status",
    "due_date",
    "expires_on",
    "checklist__id",
    "checklist__venture__id",
    "checklist__venture__name",
)
ONLY_FIELDS = {"overdue": _ITEM_FIELDS, "expiring": _ITEM_FIELDS}


def plain(value) -> str:
    """A cell as JSON-safe text."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _stuck_rows(s: scope.Scope) -> dict:
    queryset = (
        scope.ventures(s)
        .filter(s.stuck_q(), status=VentureStatus.ACTIVE)
        .select_related("stage")
        .order_by("stage_entered_at", "pk")
    )
    return {
        "title": (f"Stuck ventures (in one stage for over {s.programme.stuck_after_days} days)"),
        "header": ["Venture", "Stage", "In stage since"],
        "rows": [
            [
                plain(v.name),
                plain(v.stage.name),
                plain(v.stage_entered_at.date() if v.stage_entered_at else None),
            ]
            for v in queryset.iterator(chunk_size=2000)
        ],
    }


def headline_rows(*, programme, period: Period, now: datetime.datetime) -> dict:
    """{code: {"title", "header", "rows"}} for each of ``HEADLINE_ROWS``."""
    s = scope.Scope(programme=programme, period=period, seir=None, now=now)
    frozen = {}
    for code in HEADLINE_ROWS:
        if code == "stuck":
            frozen[code] = _stuck_rows(s)
            continue
        kind = row_kinds.KINDS[code]
        queryset = kind.rows(s, "")
        if code in ONLY_FIELDS:
            queryset = queryset.only(*ONLY_FIELDS[code])
        frozen[code] = {
            "title": kind.title,
            "header": [column.header for column in kind.columns],
            "rows": [
                [plain(column.value(obj)) for column in kind.columns]
                for obj in queryset.iterator(chunk_size=2000)
            ],
        }
    return frozen
