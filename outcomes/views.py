"""Thin views for outcomes: venture visibility first, then one service per write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat
from django.views.decorators.http import require_GET, require_POST

from seir.forms import apply_form_errors
from submissions.views import save_once
from ventures import selectors as venture_selectors
from ventures.tabs import venture_page_context

from . import permissions, selectors, services
from .forms import CorrectionForm, IndicatorForm, MeasurementForm, SharingForm
from .models import Indicator

# The date format of the measurements table (``|date:"j M Y"``): the chart's axis labels
# use it too, so the chart and its table read alike ("12 Jul 2026").
TABLE_DATE_FORMAT = "j M Y"


def _chart_data(indicator) -> dict:
    return {
        "id": indicator.pk,
        "label": f"{indicator.name} ({indicator.unit})",
        "dates": [m.measured_on.isoformat() for m in indicator.measurement_list],
        "labels": [
            dateformat.format(m.measured_on, TABLE_DATE_FORMAT) for m in indicator.measurement_list
        ],
        "values": [float(m.value) for m in indicator.measurement_list],
        "baseline": float(indicator.baseline),
        "target": float(indicator.target),
    }


def _tab(
    request,
    venture,
    access,
    *,
    indicator_form=None,
    failed=None,
    failed_correction=None,
    status=200,
):
    """The outcomes tab. A refused form (a new indicator, a measurement, a correction) is
    passed back bound, so its errors show beside its fields with what was typed."""
    return render(
        request,
        "outcomes/venture_outcomes.html",
        _tab_context(
            request,
            venture,
            access,
            indicator_form=indicator_form,
            failed=failed,
            failed_correction=failed_correction,
        ),
        status=status,
    )


def _tab_context(
    request, venture, access, *, indicator_form=None, failed=None, failed_correction=None
) -> dict:
    can_record = permissions.can_record_outcomes(request.user, venture)
    indicators = selectors.indicator_list_for_venture(venture=venture)
    for indicator in indicators:
        indicator.progress = selectors.indicator_progress(indicator=indicator)
        indicator.chart = _chart_data(indicator)
        if can_record:
            if failed is not None and failed[0] == indicator.pk:
                indicator.form = failed[1]
            else:
                indicator.form = MeasurementForm(prefix=f"i{indicator.pk}")
            if failed_correction is not None:
                for measurement in indicator.measurement_list:
                    if measurement.pk == failed_correction[0]:
                        measurement.correction = failed_correction[1]
    if indicator_form is None and can_record:
        indicator_form = IndicatorForm()
    return {
        **venture_page_context(request, venture, access, tab="outcomes"),
        "indicators": indicators,
        "charts": [i.chart for i in indicators],
        "indicator_form": indicator_form,
        "can_record": can_record,
    }


def _venture(request, pk: int):
    """The venture, 404 unless the person may read its outcomes (a commissioner's
    read-only grant stops at the profile)."""
    venture, access = venture_selectors.venture_get(user=request.user, pk=pk)
    if not permissions.can_view_outcomes(request.user, venture):
        raise Http404("No such venture.")
    return venture, access


@require_GET
def venture_outcomes(request, pk: int):
    venture, access = _venture(request, pk)
    return _tab(request, venture, access)


@require_POST
def indicator_new(request, pk: int):
    venture, access = _venture(request, pk)
    if not permissions.can_record_outcomes(request.user, venture):
        raise PermissionDenied("Only the venture's team and its SEiR can add indicators.")
    form = IndicatorForm(request.POST)
    return save_once(
        request,
        form,
        save=lambda: services.indicator_add(
            actor=request.user, venture=venture, **form.service_data()
        ),
        shown_at=lambda indicator: _indicator_url(venture, indicator),
        saved=lambda indicator: f"Indicator “{indicator}” added.",
        not_saved="The indicator was not added: see the form below.",
        refused=lambda: _tab(request, venture, access, indicator_form=form, status=400),
    )


def _indicator_url(venture, indicator) -> str:
    """Where an indicator is shown (the tab, if it has gone since)."""
    url = reverse("outcomes:venture", args=[venture.pk])
    return url + f"#ind-{indicator.pk}" if indicator is not None else url


@require_POST
def indicator_sharing(request, pk: int, indicator_id: int):
    """Share an indicator with the commissioners the venture is introduced to, or stop."""
    venture, _access = _venture(request, pk)
    indicator = get_object_or_404(Indicator, pk=indicator_id, venture=venture)
    if not permissions.can_record_outcomes(request.user, venture):
        raise PermissionDenied("Only the venture's team and its SEiR can share indicators.")
    form = SharingForm(request.POST)
    form.is_valid()  # a checkbox: absent or anything falsy means "not shared"
    shared = bool(form.cleaned_data.get("shared"))
    services.indicator_share(actor=request.user, indicator=indicator, shared=shared)
    if shared:
        messages.success(
            request,
            f"“{indicator}” is shared with the commissioners this venture is introduced to.",
        )
    else:
        messages.success(request, f"“{indicator}” is no longer shared with commissioners.")
    return redirect(_indicator_url(venture, indicator))


@require_POST
def measurement_add(request, pk: int, indicator_id: int):
    venture, access = _venture(request, pk)
    indicator = get_object_or_404(Indicator, pk=indicator_id, venture=venture)
    if not permissions.can_record_outcomes(request.user, venture):
        raise PermissionDenied("Only the venture's team and its SEiR can record measurements.")
    form = MeasurementForm(request.POST, prefix=f"i{indicator.pk}")
    return save_once(
        request,
        form,
        save=lambda: services.measurement_record(
            actor=request.user, indicator=indicator, **form.service_data()
        ),
        shown_at=lambda _measurement: _indicator_url(venture, indicator),
        saved=f"Measurement recorded for “{indicator}”.",
        not_saved=f"The measurement for “{indicator}” was not recorded: see below.",
        refused=lambda: _tab(request, venture, access, failed=(indicator.pk, form), status=400),
    )


@require_POST
def measurement_correction(request, pk: int, measurement_id: int):
    venture, access = _venture(request, pk)
    measurement = selectors.measurement_get(venture=venture, pk=measurement_id)
    if measurement is None:
        raise Http404("No such measurement.")
    if not permissions.can_record_outcomes(request.user, venture):
        raise PermissionDenied("Only the venture's team and its SEiR can correct measurements.")
    form = CorrectionForm(request.POST, prefix=f"m{measurement.pk}")
    if form.is_valid():
        try:
            services.measurement_correct(
                actor=request.user,
                measurement=measurement,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                expected_value=form.cleaned_data["was_value"],
                expected_note=form.cleaned_data["was_note"]
                if form.cleaned_data["was_value"] is not None
                else None,
            )
        except services.MeasurementChanged as error:
            form.add_error(None, error.message)
            form.rebase_on(error.current)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Measurement corrected.")
            return redirect(
                reverse("outcomes:venture", args=[venture.pk]) + f"#ind-{measurement.indicator_id}"
            )
    on = measurement.measured_on
    messages.error(
        request, f"The measurement for {on.day} {on:%B %Y} was not corrected: see below."
    )
    return _tab(request, venture, access, failed_correction=(measurement.pk, form), status=400)
