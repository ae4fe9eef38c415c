"""What a target report freezes: the figures and the rows behind the headline ones.

The rows come from the same ``progress.rows`` kinds (and ``progress.scope`` conditions)
as the dashboard's lists, so a frozen list has as many rows as its frozen figure counts,
and its cells are the ones the list's page draws. Only the values the columns show are
read (``values()``, no model instances, one query per list): at 10,000 ventures a report
freezes some 50,000 rows.

Every cell is stored as plain JSON (text, numbers as text); no model is referenced, so a
later change to a venture, an item or a contract cannot reach a stored report.

No personal data from scouting is read here: the scouting figures are aggregates, and
none of these rows is a person, a meeting or an idea.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from ventures.models import VentureStatus

from . import rows as row_kinds
from . import scope
from .periods import Period

# Rows fetched from the database at a time (a server-side cursor on PostgreSQL).
CHUNK = 2000

# The headline figures whose rows a report keeps, in the order the report shows them.
HEADLINE_ROWS = ("achieved", "stuck", "quiet", "new", "moves", "overdue", "expiring", "contracts")


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
    rows = (
        scope.ventures(s)
        .filter(s.stuck_q(), status=VentureStatus.ACTIVE)
        .order_by("stage_entered_at", "pk")
        .values_list("name", "stage__name", "stage_entered_at")
    )
    return {
        "title": (f"Stuck ventures (in one stage for over {s.programme.stuck_after_days} days)"),
        "header": ["Venture", "Stage", "In stage since"],
        "rows": [
            [plain(name), plain(stage), plain(timezone.localdate(entered) if entered else None)]
            for name, stage, entered in rows.iterator(chunk_size=CHUNK)
        ],
    }


def headline_rows(*, programme, period: Period, now: datetime.datetime) -> dict:
    """{code: {"title", "header", "rows"}} for each of ``HEADLINE_ROWS``: one query per
    list (and one for the target stage's order), whatever the number of rows."""
    s = scope.Scope.at(programme=programme, period=period, seir=None, now=now)
    frozen = {}
    for code in HEADLINE_ROWS:
        if code == "stuck":
            frozen[code] = _stuck_rows(s)
            continue
        kind = row_kinds.KINDS[code]
        rows = kind.values(kind.rows(s, ""))
        frozen[code] = {
            "title": kind.title,
            "header": [column.header for column in kind.columns],
            "rows": [
                [plain(cell) for cell in kind.cells(row)] for row in rows.iterator(chunk_size=CHUNK)
            ],
        }
    return frozen
