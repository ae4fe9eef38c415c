"""Helpers the scouting views share."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.utils import timezone

from seir.paging import CappedPaginator

PAGE_SIZE = 25


def list_context(request, filterset) -> dict:
    """What a scouting list page shows: its filter, one page of rows, the query."""
    page, query = paginate(request, filterset)
    return {"filter": filterset, "page": page, "query": query}


def paginate(request, filterset):
    # Counted and paged no further than the cap (seir.paging): the cost of a list of
    # 100,000 meetings follows the page, not the data.
    page = CappedPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def csv_safe(value) -> str:
    """Stop spreadsheet formula injection from user-entered text."""
    value = "" if value is None else str(value)
    return "'" + value if value and value[0] in "=+-@\t\r" else value


def csv_response(name: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return response
