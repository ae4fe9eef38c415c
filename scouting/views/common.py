"""Helpers the scouting views share."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.utils import timezone

from seir import spreadsheet
from seir.paging import CappedPaginator
from seir.spreadsheet import csv_safe

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


def csv_response(name: str, header: list[str], rows) -> StreamingHttpResponse:
    """``rows`` streamed as ``<name>-<date>.csv``, every cell made formula-safe."""
    stamp = timezone.localdate().isoformat()
    return spreadsheet.csv_response(
        f"{name}-{stamp}.csv", header, ([csv_safe(v) for v in row] for row in rows)
    )
