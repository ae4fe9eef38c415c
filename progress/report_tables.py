"""A stored report as tables and charts, read from its snapshot alone (never the live
data): the page, the CSV and the PDF all draw these same tables, so they cannot differ.

Charts are drawn on the server as SVG by templates (``progress/reports/partials/
svg_chart.html``); this module works out the geometry (bar lengths and positions), so
the PDF needs no browser and no JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ventures.models import VentureStatus

from .tables import FUNNEL_HEADER, FUNNEL_TITLE

CHART_WIDTH = 640
LABEL_WIDTH = 220
BAR_AREA = CHART_WIDTH - LABEL_WIDTH - 70
BAR_HEIGHT = 22
BAR_GAP = 8
# A long list (every stage move of a large programme) is cut here on the page and in the
# PDF, with a note; the CSV always has every row.
ROWS_SHOWN = 200
# Fewer in the PDF: WeasyPrint lays out every cell, and a download must not take long.
ROWS_IN_PDF = 50


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    x: float
    y: float
    width: float
    height: int
    text_y: float
    value_x: float


@dataclass(frozen=True)
class Chart:
    code: str
    title: str
    kind: str  # "bar" or "funnel"
    bars: tuple[Bar, ...]
    width: int = CHART_WIDTH
    height: int = 0
    label_width: int = LABEL_WIDTH


@dataclass(frozen=True)
class ReportTable:
    code: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    chart: Chart | None = None
    numeric: tuple[bool, ...] = field(default=())

    @property
    def shown(self) -> tuple[tuple[str, ...], ...]:
        """The rows the page and the PDF draw (all of them are in the CSV)."""
        return self.rows[:ROWS_SHOWN]

    @property
    def more(self) -> int:
        return max(0, len(self.rows) - ROWS_SHOWN)

    @property
    def shown_in_pdf(self) -> tuple[tuple[str, ...], ...]:
        return self.rows[:ROWS_IN_PDF]

    @property
    def more_in_pdf(self) -> int:
        return max(0, len(self.rows) - ROWS_IN_PDF)


def _num(value) -> Decimal:
    try:
        return Decimal(str(value or 0))
    except ArithmeticError:
        return Decimal(0)


def chart(code: str, title: str, kind: str, items: list[tuple[str, object]]) -> Chart:
    """Bars for ``items`` [(label, value)], longest value full width. A funnel centres
    each bar in the area, so the stages narrow like a funnel."""
    largest = max((_num(v) for _, v in items), default=Decimal(0)) or Decimal(1)
    bars = []
    for i, (label, value) in enumerate(items):
        width = float(_num(value) / largest) * BAR_AREA
        width = max(width, 1.0) if _num(value) else 0.0
        x = LABEL_WIDTH + (BAR_AREA - width) / 2 if kind == "funnel" else LABEL_WIDTH
        y = i * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            Bar(
                label=label,
                value=str(value),
                x=round(x, 1),
                y=y,
                width=round(width, 1),
                height=BAR_HEIGHT,
                text_y=y + BAR_HEIGHT * 0.7,
                value_x=round(x + width + 6, 1),
            )
        )
    height = max(len(items) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT)
    return Chart(code, title, kind, tuple(bars), height=height)


def _t(code, title, header, rows, chart_=None):
    rows = tuple(tuple("" if c is None else str(c) for c in row) for row in rows)
    return ReportTable(code, title, tuple(header), rows, chart_)


def _flag(v: dict) -> str:
    return ", ".join(
        word
        for word, on in (
            ("moved back", v.get("moved_back")),
            ("paused", v.get("paused")),
            ("closed", v.get("closed")),
        )
        if on
    )


def headline(figures: dict) -> list[tuple[str, str]]:
    """The headline figures as (label, value) pairs, in the order shown everywhere."""
    t, f, p = figures["target"], figures["forecast"], figures["pipeline"]
    d, c, s = figures["development"], figures["commissioning"], figures["scouting"]
    return [
        ("Target (ventures)", t["number"]),
        (f"Counting towards the target (reached “{t['stage_name']}”)", t["achieved"]),
        ("Days left in the period", t["days_left"]),
        ("Forecast for the end of the period (expected)", f["expected"]),
        ("Forecast range", f"{f['low']} to {f['high']}"),
        (f"Stuck ventures (over {p['stuck_after_days']} days in a stage)", p["stuck"]),
        (f"Quiet ventures (no activity for {p['quiet_after_days']} days)", p["quiet"]),
        ("New ventures in the period", p["new_ventures"]),
        ("Stage moves in the period", p["moves"]),
        ("Checklist items overdue", d["items_overdue"]),
        (
            f"Checklist evidence expiring within {d['expiring_within_days']} days",
            d["items_expiring"],
        ),
        ("Funding applied for (£)", d["applied_total"]),
        ("Funding awarded (£)", d["awarded_total"]),
        ("Contracts starting in the period", c["contract_count"]),
        ("Contract value (£)", c["contract_value"]),
        ("Scouting meetings in the period", s["meetings"]),
    ]


def _funnel_heading(scouting: dict) -> tuple[str, tuple[str, ...]]:
    """The funnel's title and header as the snapshot's figures were counted. Reports are
    never regenerated: those made before the funnel followed the period counted every
    meeting since the programme began. Now its "All sectors" meetings are always the
    meetings in the period; a snapshot where they differ is one of those older reports
    (where they agree, every meeting counted was held in the period anyway)."""
    everything = scouting["funnel"][-1]["meetings"] if scouting["funnel"] else 0
    if everything == scouting["meetings"]:
        return FUNNEL_TITLE, FUNNEL_HEADER
    return (
        "From meetings to ventures, since the programme began",
        ("Sector", "Meetings", "Ideas", "Ventures", "Of these, counting towards target"),
    )


def report_tables(figures: dict, rows: dict) -> list[ReportTable]:
    t, p = figures["target"], figures["pipeline"]
    d, c, s = figures["development"], figures["commissioning"], figures["scouting"]
    stages = p["stages"]
    tables = [
        _t(
            "headline",
            "Headline figures",
            ("Figure", "Value"),
            headline(figures),
            chart(
                "target",
                f"Counting towards the target: {t['achieved']} of {t['number']}",
                "bar",
                [
                    ("Target", t["number"]),
                    ("Counting now", t["achieved"]),
                    ("Forecast (expected)", figures["forecast"]["expected"]),
                ],
            ),
        ),
        _t(
            "target",
            f"Ventures counting towards the target ({t['achieved']} of {t['number']})",
            ("Venture", "Reached target stage on", "Stage now", "Status", "Flag"),
            [
                (
                    v["name"],
                    v["reached_on"],
                    v["stage"],
                    VentureStatus(v["status"]).label
                    if v["status"] in VentureStatus.values
                    else v["status"],
                    _flag(v),
                )
                for v in t["ventures"]
            ],
        ),
        _t(
            "pipeline",
            "Active ventures by stage",
            (
                "Stage",
                "Active ventures",
                "Ever reached",
                "Went on to the next stage (%)",
                "Median days in stage",
                f"Stuck (over {p['stuck_after_days']} days)",
            ),
            [
                (
                    st["name"],
                    st["active"],
                    st["reached"],
                    st["conversion_to_next"],
                    st["median_days"],
                    st["stuck"],
                )
                for st in stages
            ],
            chart(
                "pipeline",
                "Active ventures by stage",
                "funnel",
                [(st["name"], st["active"]) for st in stages],
            ),
        ),
        _t(
            "plans",
            "Business plans by state",
            ("State", "Plans"),
            [(x["label"], x["count"]) for x in d["plans"]],
        ),
        _t(
            "funding",
            "Funding by fund in the period (GBP)",
            ("Fund", "Applications submitted", "Requested (£)", "Awards", "Awarded (£)"),
            [
                (x["name"], x["applied"], x["requested"], x["awarded"], x["awarded_amount"])
                for x in d["funds"]
            ],
            chart(
                "funding",
                "Funding awarded by fund (£)",
                "bar",
                [(x["name"], x["awarded_amount"]) for x in d["funds"]],
            )
            if d["funds"]
            else None,
        ),
        _t(
            "outcomes",
            "Outcome indicators by Outcomes Framework domain",
            ("Domain", "Indicators", "Ventures"),
            [(f"{x['number']}. {x['name']}", x["indicators"], x["ventures"]) for x in d["domains"]],
        ),
        _t(
            "introductions",
            "Introductions made in the period, by step",
            ("Step", "Introductions"),
            [(x["label"], x["count"]) for x in c["steps"]],
            chart(
                "introductions",
                "Introductions by step",
                "funnel",
                [(x["label"], x["count"]) for x in c["steps"]],
            ),
        ),
        _t(
            "contracts",
            "Contracts starting in the period (GBP)",
            ("Status", "Contracts", "Value (£)"),
            [(x["label"], x["count"], x["amount"]) for x in c["contracts"]],
        ),
        _t(
            "meetings_by_type",
            "Scouting meetings in the period, by type",
            ("Type", "Meetings"),
            [(x["label"], x["count"]) for x in s["by_type"]],
            chart(
                "meetings_by_type",
                "Scouting meetings by type",
                "bar",
                [(x["label"], x["count"]) for x in s["by_type"]],
            ),
        ),
        _t(
            "meetings_by_sector",
            "Scouting meetings in the period, by sector represented",
            ("Sector", "Meetings"),
            [(x["label"], x["count"]) for x in s["by_sector"]],
        ),
        _t(
            "scouting_funnel",
            *_funnel_heading(s),
            [
                (r["label"], r["meetings"], r["ideas"], r["ventures"], r["counting"])
                for r in s["funnel"]
            ],
        ),
    ]
    for code, frozen in rows.items():
        tables.append(
            _t(f"rows_{code}", frozen["title"], frozen["header"], frozen["rows"]),
        )
    return tables


def report_csv_rows(tables: list[ReportTable]) -> list[list[str]]:
    """The whole report as one sheet: for each table its title, its header, its rows and
    a blank line (the header row of the file names the columns of this layout)."""
    out: list[list[str]] = []
    for table in tables:
        out.append([table.title])
        out.append(list(table.header))
        out.extend(list(row) for row in table.rows)
        out.append([])
    return out
