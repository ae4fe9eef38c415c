"""The venture list with filters, and its CSV export."""

from __future__ import annotations

import functools

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.permissions import runs_programme
from seir import paging
from seir.dates import days_since
from seir.params import query_int
from seir.spreadsheet import csv_response, csv_safe

from .. import selectors
from ..permissions import can_see_pipeline

LIST_PAGE_SIZE = 25
# The list counts and pages through at most this many ventures (40 pages): counting
# further would cost time in proportion to the data on every page. Past it the page says
# so and points to the filters and the CSV, which has every row.
LIST_COUNT_CAP = paging.COUNT_CAP


@require_GET
def venture_list_page(request):
    if not can_see_pipeline(request.user):
        raise Http404("No such page.")
    return render(request, "ventures/venture_list.html", _list_context(request))


def _list_context(request) -> dict:
    venture_filter = selectors.venture_list(user=request.user, filters=request.GET)
    page = selectors.NarrowPaginator(
        venture_filter.qs,
        LIST_PAGE_SIZE,
        fetch=functools.partial(selectors.venture_rows, programme_ids=venture_filter.programme_ids),
        cap=LIST_COUNT_CAP,
        spread=not venture_filter.may_cluster,
    ).get_page(query_int(request.GET, "page", default=1, minimum=1))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter": venture_filter,
        "page": page,
        "query": query.urlencode(),
        "can_create": runs_programme(request.user),
    }


CSV_COLUMNS = [
    "id",
    "name",
    "programme",
    "stage",
    "status",
    "origin",
    "nhs_spinout",
    "legal_form",
    "lead",
    "seir",
    "area",
    "entered_stage",
    "days_in_stage",
    "updated",
]


@require_GET
def venture_export(request):
    """The filtered list as CSV, streamed: the first rows leave before the last are read,
    and memory stays flat whatever the number of ventures."""
    if not can_see_pipeline(request.user):
        raise Http404("No such page.")
    venture_filter = selectors.venture_list(user=request.user, filters=request.GET)
    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y-%m-%d")
    return csv_response(f"ventures-{stamp}.csv", CSV_COLUMNS, _csv_rows(venture_filter.qs, now))


# Read as plain tuples: building six model instances per row made an export of
# 10,000 ventures spend 85% of its time in the ORM.
_CSV_VALUES = (
    "pk",
    "name",
    "programme__name",
    "stage__name",
    "status",
    "origin",
    "is_spinout",
    "legal_form__name",
    "lead__first_name",
    "lead__last_name",
    "lead__username",
    "seir__first_name",
    "seir__last_name",
    "seir__username",
    "area",
    "stage_entered_at",
    "updated_at",
)


def _csv_rows(queryset, now):
    for row in queryset.values_list(*_CSV_VALUES).iterator(chunk_size=2000):
        (pk, name, programme, stage, status, origin, spinout, legal_form) = row[:8]
        lead_first, lead_last, lead_username, seir_first, seir_last, seir_username = row[8:14]
        lead = selectors.person_name(first=lead_first, last=lead_last, username=lead_username)
        seir = selectors.person_name(first=seir_first, last=seir_last, username=seir_username)
        area, entered, updated = row[14:]
        yield [
            pk,
            csv_safe(name),
            csv_safe(programme),
            csv_safe(stage),
            selectors.STATUS_LABELS.get(status, status),
            selectors.ORIGIN_LABELS.get(origin, origin),
            "yes" if spinout else "no",
            csv_safe(legal_form or ""),
            csv_safe(lead),
            csv_safe(seir),
            csv_safe(area),
            timezone.localtime(entered).date().isoformat() if entered else "",
            days_since(entered, now) if entered else "",
            timezone.localtime(updated).isoformat(timespec="seconds"),
        ]
