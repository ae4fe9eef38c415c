"""The venture list with filters, and its CSV export."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.selectors import programmes_run_by
from seir.spreadsheet import csv_safe as _csv_safe

from .. import selectors

LIST_PAGE_SIZE = 25


@require_GET
def venture_list_page(request):
    venture_filter = selectors.venture_list(user=request.user, filters=request.GET)
    page = Paginator(venture_filter.qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
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


@require_GET
def venture_export(request):
    venture_filter = selectors.venture_list(user=request.user, filters=request.GET)
    now = timezone.now()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(now).strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="ventures-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for v in venture_filter.qs.iterator(chunk_size=500):
        writer.writerow(
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
    return response
