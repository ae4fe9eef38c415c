"""The PCT manager's dashboard, its CSVs and the read-only lists behind its figures."""

from __future__ import annotations

from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from seir.params import bounded_int, query_int
from seir.spreadsheet import csv_response, csv_safe

from . import rows as row_kinds
from .forms import DashboardFilterForm, seir_choices
from .permissions import progress_programmes
from .scope import Scope
from .selectors import programme_figures
from .tables import build_tables, table_csv_rows

ROWS_PAGE_SIZE = 50
# The dashboard lists this many of the ventures counting towards the target, with a link
# to all of them (the CSV and the report have every one).
DASHBOARD_VENTURES = 25
FILTER_PARAMS = ("programme", "period", "start", "end", "seir")


def _filters(request):
    """(form, programme, period, seir, query, programmes) from the request; 404 for a
    reader with no programme to see, or asking for one they may not see. An invalid
    filter shows its message; the figures then fall back to the programme's own period
    (and every SEiR) rather than guessing."""
    programmes = list(progress_programmes(request.user))
    if not programmes:
        raise Http404("No programme figures for this account.")
    params = QueryDict(mutable=True)
    for name in FILTER_PARAMS:
        if request.GET.get(name):
            params[name] = request.GET[name]
    programme = programmes[0]
    if "programme" in params:
        wanted = bounded_int(params["programme"], default=-1, minimum=-1)
        programme = next((p for p in programmes if p.pk == wanted), None)
        if programme is None:
            raise Http404("No such programme.")
    # Someone who has left or lost the role stays to choose while ventures are in their name.
    seirs = seir_choices(programme)
    form = DashboardFilterForm(params or None, programmes=programmes, seirs=seirs)
    valid = form.is_valid()
    seir = form.cleaned_data.get("seir") if valid else None
    period = form.period_for(programme)
    return form, programme, period, seir, params.urlencode(), programmes


@require_GET
def dashboard(request):
    form, programme, period, seir, query, programmes = _filters(request)
    figures = programme_figures(
        programme=programme, period=period, seir=seir, ventures_limit=DASHBOARD_VENTURES
    )
    tables = build_tables(figures, query=query)
    charts = {t.code: t.chart for t in tables if t.chart}
    return render(
        request,
        "progress/dashboard.html",
        {
            "form": form,
            "programme": programme,
            "programmes": programmes,
            "period": period,
            "seir": seir,
            "figures": figures,
            "tables": tables,
            "charts": charts,
            "query": query,
            "dashboard_ventures": DASHBOARD_VENTURES,
            "links": _headline_links(figures, query),
        },
    )


def _headline_links(figures, query: str) -> dict[str, str]:
    from .tables import venture_list_url

    return {
        "achieved": row_kinds.rows_url("achieved", query),
        "moves": row_kinds.rows_url("moves", query),
        "new": row_kinds.rows_url("new", query),
        "quiet": row_kinds.rows_url("quiet", query),
        "overdue": row_kinds.rows_url("overdue", query),
        "expiring": row_kinds.rows_url("expiring", query),
        "contracts": row_kinds.rows_url("contracts", query),
        "stuck": venture_list_url(
            figures, status="active", stale_days=figures.pipeline.stuck_after_days
        ),
    }


@require_GET
def dashboard_csv(request, table: str):
    form, programme, period, seir, query, _ = _filters(request)
    figures = programme_figures(programme=programme, period=period, seir=seir)
    found = {t.code: t for t in build_tables(figures, query=query)}
    if table not in found:
        raise Http404("No such table.")
    chosen = found[table]
    stamp = timezone.localdate().isoformat()
    return csv_response(
        f"{table}-{stamp}.csv",
        list(chosen.header),
        ([csv_safe(v) for v in row] for row in table_csv_rows(chosen)),
    )


@require_GET
def figure_rows(request, kind: str):
    """The rows behind one figure, read-only, for whoever may read the dashboard."""
    found = row_kinds.KINDS.get(kind)
    if found is None:
        raise Http404("No such list.")
    form, programme, period, seir, query, _ = _filters(request)
    key = request.GET.get("key", "")[:60]
    if found.keys is not None and key not in found.keys():
        raise Http404("No such list.")
    if found.keys is None and key and not (key.isascii() and key.isdigit() and len(key) <= 9):
        # ASCII digits only: "²" is a digit to str.isdigit but no number to int().
        raise Http404("No such list.")
    s = Scope.at(programme=programme, period=period, seir=seir, now=timezone.now())
    queryset = found.rows(s, key)
    page = Paginator(found.values(queryset), ROWS_PAGE_SIZE).get_page(
        query_int(request.GET, "page", default=1, minimum=1)
    )
    numeric = [column.numeric for column in found.columns]
    table = [list(zip(found.cells(row), numeric, strict=True)) for row in page.object_list]
    total = None
    if found.total:
        # The sum the dashboard shows, over every row of the list (not just this page).
        total = queryset.order_by().aggregate(total=Sum(found.total))["total"] or Decimal("0")
        total = total.quantize(Decimal("0.01"))
    back = request.GET.copy()
    back.pop("page", None)
    return render(
        request,
        "progress/figure_rows.html",
        {
            "kind": found,
            "form": form,
            "key": key,
            "programme": programme,
            "period": period,
            "seir": seir,
            "page": page,
            "table": table,
            "total": total,
            "query": query,
            "page_query": back.urlencode(),
        },
    )
