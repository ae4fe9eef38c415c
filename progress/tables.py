"""The dashboard's tables, built once from the figures: the page draws them beside the
charts and the CSV download writes the same rows, so the two cannot differ.

A cell is ``Cell(value, href)``: ``href`` is the list of the rows behind a count (or a
sum), ``None`` where there is nothing to open (labels, percentages, medians). Scouting
meetings and ideas open nothing: they are aggregates, and a manager never reaches
contact details; the funnel's ventures open the list of those ventures.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from seir.links import link
from ventures.models import VentureStatus

from .rows import rows_url
from .selectors import ProgrammeFigures


@dataclass(frozen=True)
class Cell:
    value: object
    href: str | None = None
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    code: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    chart: dict | None = None  # {"type": "bar", "labels": [...], "values": [...], "links": [...]}


# The dashboard's scouting funnel starts from the meetings held in the period
# (progress.scope.funnel_sources); the report's table says the same (report_tables).
FUNNEL_TITLE = "From meetings held in the period to ideas and ventures"
FUNNEL_HEADER = (
    "Sector",
    "Meetings held in the period",
    "Ideas from these meetings",
    "Ventures from these ideas",
    "Of these, counting towards target",
)


def _sector(code: str) -> str:
    return "" if code == "all" else code


def _n(value, href=None) -> Cell:
    return Cell(value, href, True)


def venture_list_url(figures: ProgrammeFigures, **params) -> str:
    """The venture list, filtered like the dashboard (programme and SEiR) plus ``params``."""
    query = {"programme": figures.programme_id}
    if figures.seir_id:
        query["seir"] = figures.seir_id
    query.update(params)
    return f"{link('ventures:list')}?{urlencode(query)}"


def build_tables(figures: ProgrammeFigures, *, query: str) -> list[Table]:
    """``query`` is the dashboard's filter query string, carried to every rows list."""
    t, p, d, c, s = (
        figures.target,
        figures.pipeline,
        figures.development,
        figures.commissioning,
        figures.scouting,
    )

    def rows(kind, key=""):
        return rows_url(kind, query, key)

    tables = [
        Table(
            "target",
            f"Ventures counting towards the target ({t.achieved} of {t.number})",
            ("Venture", "Reached target stage on", "Stage now", "Status", "Flag"),
            tuple(
                (
                    Cell(v.name, link("ventures:detail", v.id)),
                    Cell(v.reached_on.isoformat()),
                    Cell(v.stage),
                    Cell(VentureStatus(v.status).label),
                    Cell(
                        ", ".join(
                            f
                            for f, on in (
                                ("moved back", v.moved_back),
                                ("paused", v.paused),
                                ("closed", v.closed),
                            )
                            if on
                        )
                    ),
                )
                for v in t.ventures
            ),
        ),
        Table(
            "pipeline",
            "Active ventures by stage",
            (
                "Stage",
                "Active ventures",
                "Ever reached",
                "Went on to the next stage (%)",
                "Median days in stage",
                f"Stuck (over {p.stuck_after_days} days)",
            ),
            tuple(
                (
                    Cell(st.name),
                    _n(
                        st.active,
                        venture_list_url(figures, stage=st.code, status=VentureStatus.ACTIVE),
                    ),
                    _n(st.reached),
                    _n("" if st.conversion_to_next is None else st.conversion_to_next),
                    _n("" if st.median_days is None else st.median_days),
                    _n(
                        st.stuck,
                        venture_list_url(
                            figures,
                            stage=st.code,
                            status=VentureStatus.ACTIVE,
                            stale_days=p.stuck_after_days,
                        ),
                    ),
                )
                for st in p.stages
            ),
            chart={
                "type": "funnel",
                "label": "Active ventures",
                "labels": [st.name for st in p.stages],
                "values": [st.active for st in p.stages],
                "links": [
                    venture_list_url(figures, stage=st.code, status=VentureStatus.ACTIVE)
                    for st in p.stages
                ],
            },
        ),
        Table(
            "plans",
            "Business plans by state",
            ("State", "Plans"),
            tuple((Cell(x.label), _n(x.count, rows("plans", x.code))) for x in d.plans),
        ),
        Table(
            "funding",
            "Funding by fund in the period (GBP)",
            ("Fund", "Applications submitted", "Requested (£)", "Awards", "Awarded (£)"),
            tuple(
                (
                    Cell(f.name),
                    _n(f.applied, rows("applied", str(f.fund_id))),
                    _n(f.requested, rows("applied", str(f.fund_id))),
                    _n(f.awarded, rows("awarded", str(f.fund_id))),
                    _n(f.awarded_amount, rows("awarded", str(f.fund_id))),
                )
                for f in d.funds
            ),
            chart={
                "type": "bar",
                "label": "Awarded (£)",
                "labels": [f.name for f in d.funds],
                "values": [float(f.awarded_amount) for f in d.funds],
                "links": [rows("awarded", str(f.fund_id)) for f in d.funds],
            },
        ),
        Table(
            "outcomes",
            "Outcome indicators by Outcomes Framework domain",
            ("Domain", "Indicators", "Ventures"),
            tuple(
                (
                    Cell(f"{x.number}. {x.name}"),
                    _n(x.indicators, rows("indicators", str(x.number))),
                    _n(x.ventures),
                )
                for x in d.domains
            ),
        ),
        Table(
            "introductions",
            "Introductions made in the period, by step",
            ("Step", "Introductions"),
            tuple((Cell(x.label), _n(x.count, rows("introductions", x.code))) for x in c.steps),
            chart={
                "type": "bar",
                "label": "Introductions",
                "labels": [x.label for x in c.steps],
                "values": [x.count for x in c.steps],
                "links": [rows("introductions", x.code) for x in c.steps],
            },
        ),
        Table(
            "contracts",
            "Contracts starting in the period (GBP)",
            ("Status", "Contracts", "Value (£)"),
            tuple(
                (
                    Cell(x.label),
                    _n(x.count, rows("contracts", x.code)),
                    _n(x.amount, rows("contracts", x.code)),
                )
                for x in c.contracts
            ),
        ),
        Table(
            "meetings_by_type",
            "Scouting meetings in the period, by type",
            ("Type", "Meetings"),
            tuple((Cell(x.label), _n(x.count)) for x in s.by_type),
            chart={
                "type": "bar",
                "label": "Meetings",
                "labels": [x.label for x in s.by_type],
                "values": [x.count for x in s.by_type],
                "links": [],
            },
        ),
        Table(
            "meetings_by_sector",
            "Scouting meetings in the period, by sector represented",
            ("Sector", "Meetings"),
            tuple((Cell(x.label), _n(x.count)) for x in s.by_sector),
        ),
        Table(
            "scouting_funnel",
            FUNNEL_TITLE,
            FUNNEL_HEADER,
            tuple(
                (
                    Cell(r.label),
                    _n(r.meetings),
                    _n(r.ideas),
                    _n(r.ventures, rows("funnel_ventures", _sector(r.code))),
                    _n(r.counting, rows("funnel_counting", _sector(r.code))),
                )
                for r in s.funnel
            ),
        ),
    ]
    return tables


def table_csv_rows(table: Table) -> list[list]:
    return [[cell.value for cell in row] for row in table.rows]
