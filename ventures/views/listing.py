"""The venture list with filters, and its CSV export."""

from __future__ import annotations

import csv

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.selectors import programmes_run_by

from .. import selectors
from ..filters import VentureFilter

LIST_PAGE_SIZE = 25


def _filtered(request):
    return VentureFilter(
        request.GET or None, queryset=selectors.venture_list(request.user), user=request.user
    )


@require_GET
def venture_list(request):
    venture_filter = _filtered(request)
    page = selectors.NarrowPaginator(venture_filter.qs, LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    for venture in page.object_list:
        venture.days_in_stage = selectors.days_since(venture.stage_entered_at, now)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ventures/venture_list.html",
        {
            "filter": venture_filter,
            "page": page,
            "query": query.urlencode(),
            "can_create": programmes_run_by(request.user).exists(),
        },
    )


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


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer."""

    def write(self, value: str) -> str:
        return value


@require_GET
def venture_export(request):
    """The filtered list as CSV, streamed: the first rows leave before the last are read,
    and memory stays flat whatever the number of ventures."""
    venture_filter = _filtered(request)
    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y-%m-%d")
    response = StreamingHttpResponse(
        _csv_lines(venture_filter.qs, now), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="ventures-{stamp}.csv"'
    return response


def _csv_lines(queryset, now):
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for v in queryset.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                v.pk,
                _csv_safe(v.name),
                _csv_safe(v.programme.name),
                _csv_safe(v.stage.name),
                v.get_status_display(),
                v.get_origin_display(),
                "yes" if v.is_spinout else "no",
                _csv_safe(v.legal_form.name) if v.legal_form else "",
                _csv_safe(v.lead.display_name) if v.lead else "",
                _csv_safe(v.seir.display_name) if v.seir else "",
                _csv_safe(v.area),
                timezone.localtime(v.stage_entered_at).date().isoformat()
                if v.stage_entered_at
                else "",
                selectors.days_since(v.stage_entered_at, now) if v.stage_entered_at else "",
                timezone.localtime(v.updated_at).isoformat(timespec="seconds"),
            ]
        )


def _csv_safe(value: str) -> str:
    """Stop spreadsheet formula injection from user-entered text."""
    return "'" + value if value and value[0] in "=+-@\t\r" else value
