"""The target reports at /reports/: the list with "generate", a run's progress (htmx polls
its status fragment until it finishes), and a report as a page, a CSV and a PDF.

Every URL answers 404 to whoever may not read the programme's reports (entrepreneurs,
commissioners, other programmes' people), exactly as for a report that does not exist.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from seir.forms import SUBMISSION_TOKEN_FIELD
from seir.params import query_int
from seir.spreadsheet import csv_response, csv_safe
from submissions.responses import already_saved, seen_before
from submissions.services import AlreadySubmitted, submission_save_once

from .models import IN_PROGRESS, ReportRun, TargetReport
from .report_permissions import can_generate_report, report_programmes
from .report_tables import headline, report_csv_rows, report_tables
from .services import ReportRefused, report_request

REPORTS_SHOWN = 24


def _programmes(request):
    programmes = list(report_programmes(request.user).order_by("name"))
    if not programmes:
        raise Http404("No reports for this account.")
    return programmes


def _chosen_programme(request, programmes, raw):
    if raw in (None, ""):
        return programmes[0]
    wanted = query_int({"p": raw}, "p", default=0)
    for programme in programmes:
        if programme.pk == wanted:
            return programme
    raise Http404("No such programme.")


def _report(request, pk: int) -> TargetReport:
    ids = [p.pk for p in _programmes(request)]
    report = TargetReport.objects.select_related("programme").filter(pk=pk, programme_id__in=ids)
    found = report.first()
    if found is None:
        raise Http404("No such report.")
    return found


def _run(request, pk: int) -> ReportRun:
    ids = [p.pk for p in _programmes(request)]
    found = (
        ReportRun.objects.select_related("programme", "report")
        .filter(pk=pk, programme_id__in=ids)
        .first()
    )
    if found is None:
        raise Http404("No such run.")
    return found


@require_GET
def report_list(request):
    programmes = _programmes(request)
    programme = _chosen_programme(request, programmes, request.GET.get("programme"))
    reports = list(
        TargetReport.objects.filter(programme=programme).defer("figures", "rows")[:REPORTS_SHOWN]
    )
    runs = list(ReportRun.objects.filter(programme=programme).select_related("requested_by")[:5])
    current = next((r for r in runs if r.status in IN_PROGRESS), None)
    return render(
        request,
        "progress/reports/report_list.html",
        {
            "programme": programme,
            "programmes": programmes,
            "reports": reports,
            "runs": runs,
            "current": current,
            "can_generate": can_generate_report(request.user, programme),
        },
    )


def _token(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(SUBMISSION_TOKEN_FIELD, "")[:64])
    except ValueError:
        return None


@require_POST
def report_generate_start(request):
    programmes = _programmes(request)
    programme = _chosen_programme(request, programmes, request.POST.get("programme"))
    if not can_generate_report(request.user, programme):
        raise Http404("No such programme.")
    earlier = seen_before(request)
    if earlier is not None and earlier.target is not None:
        return already_saved(request, reverse("reports:run", args=[earlier.target.pk]))
    try:
        holder: dict = {}

        def save():
            holder["run"], holder["created"] = report_request(
                actor=request.user, programme=programme
            )
            return holder["run"]

        run = submission_save_once(actor=request.user, token=_token(request), save=save)
    except AlreadySubmitted as done:
        target = done.target
        url = reverse("reports:run", args=[target.pk]) if target else reverse("reports:list")
        return already_saved(request, url)
    except ReportRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(f"{reverse('reports:list')}?programme={programme.pk}")
    if not holder.get("created"):
        messages.info(
            request,
            "A report for this programme is already being generated: its progress is "
            "shown below. Nothing new was started.",
        )
    return redirect("reports:run", pk=run.pk)


@require_GET
def report_run_page(request, pk: int):
    run = _run(request, pk)
    return render(request, "progress/reports/run.html", {"run": run, "programme": run.programme})


@require_GET
def report_run_status(request, pk: int):
    run = _run(request, pk)
    return render(request, "progress/reports/partials/run_status.html", {"run": run})


def _context(report: TargetReport) -> dict:
    tables = report_tables(report.figures, report.rows)
    return {
        "report": report,
        "programme": report.programme,
        "figures": report.figures,
        "headline": headline(report.figures),
        "tables": tables,
        "charts": [t.chart for t in tables if t.chart],
    }


@require_GET
def report_detail(request, pk: int):
    report = _report(request, pk)
    return render(request, "progress/reports/report_detail.html", _context(report))


def _filename(report: TargetReport, ext: str) -> str:
    name = slugify(report.programme.name)[:60] or "programme"
    day = timezone.localdate(report.generated_at)  # the London day, as the page shows it
    return f"{name}-target-report-{day:%Y-%m-%d}-{report.pk}.{ext}"


@require_GET
def report_csv(request, pk: int):
    report = _report(request, pk)
    tables = report_tables(report.figures, report.rows)
    lines = report_csv_rows(tables)
    header, *rest = lines if lines else [[]]
    return csv_response(
        _filename(report, "csv"),
        [csv_safe(v) for v in header],
        ([csv_safe(v) for v in row] for row in rest),
    )


@require_GET
def report_pdf(request, pk: int):
    from .pdf import report_pdf_bytes

    report = _report(request, pk)
    response = HttpResponse(report_pdf_bytes(_context(report)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "pdf")}"'
    response["Cache-Control"] = "private, no-store"
    return response
