"""Possible duplicates and merges: the list to work through, the side-by-side comparison
where the person picks the value that wins per field, a confirmation, then the merge."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from seir.params import DB_INT_MAX

from .. import selectors, services
from ..forms import MergeForm
from ..models import MergeKind
from ..permissions import require_manage_scouting

LABELS = {
    "name": "Name",
    "organisation": "Organisation",
    "job_title": "Job title",
    "email": "Email",
    "phone": "Phone",
    "notes": "Notes",
    "consent": "Consent to contact",
    "sector": "Sector",
    "area": "Area",
    "website": "Website",
}


def _person_values(person) -> dict:
    consent = "No"
    if person.consent_to_contact:
        given = person.consent_date.strftime("%-d %b %Y") if person.consent_date else "no date"
        consent = f"Yes (given {given})"
    return {
        "name": person.name,
        "organisation": person.organisation.name if person.organisation else "",
        "job_title": person.job_title,
        "email": person.email,
        "phone": person.phone,
        "notes": person.notes,
        "consent": consent if person.consent_to_contact else "",
    }


def _organisation_values(organisation) -> dict:
    return {
        "name": organisation.name,
        "sector": organisation.get_sector_display(),
        "area": organisation.area,
        "website": organisation.website,
    }


KINDS = {
    MergeKind.PERSON: {
        "get": selectors.person_get,
        "values": _person_values,
        "fields": services.PERSON_MERGE_FIELDS,
        "merge": services.person_merge,
        "detail": "scouting:person_detail",
        "url": "scouting:person_merge",
        "plural": "people",
        "moves": "meetings attended, ideas proposed, talent notes, follow-ups and tags",
    },
    MergeKind.ORGANISATION: {
        "get": selectors.organisation_get,
        "values": _organisation_values,
        "fields": services.ORGANISATION_MERGE_FIELDS,
        "merge": services.organisation_merge,
        "detail": "scouting:organisation_detail",
        "url": "scouting:organisation_merge",
        "plural": "organisations",
        "moves": "people and meetings",
    },
}


class MergeChoicesForm(forms.Form):
    """One choice per field whose values differ: which record's value wins."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        for row in rows:
            if row["same"]:
                continue
            choices = [("kept", row["kept"] or "(blank)"), ("removed", row["removed"] or "(blank)")]
            if row["field"] == "notes":
                choices.append(("both", "Both, this record's first"))
            self.fields[row["field"]] = forms.ChoiceField(
                choices=choices, initial=row["default"], widget=forms.RadioSelect
            )


class _Gone(Exception):
    def __init__(self, merge):
        self.merge = merge


def _get(user, kind: str, pk: int):
    """The record, or _Gone when it was merged away (404 for anything else)."""
    try:
        return KINDS[kind]["get"](user=user, pk=pk)
    except Http404:
        merge = selectors.merged_into(user, kind, pk)
        if merge is None:
            raise
        raise _Gone(merge) from None


def _gone(request, kind: str, merge=None):
    """What both a second merge and the loser of two merges at once answer."""
    messages.error(request, services.GONE)
    if merge is not None:
        return redirect(KINDS[kind]["detail"], pk=merge.kept_id)
    return redirect("scouting:duplicates")


def _rows(kind: str, keep, other) -> list[dict]:
    kept_values, other_values = KINDS[kind]["values"](keep), KINDS[kind]["values"](other)
    rows = []
    for name in KINDS[kind]["fields"]:
        kept, removed = kept_values[name], other_values[name]
        if name == "notes" and kept and removed and kept != removed:
            default = "both"
        else:
            default = "removed" if not kept and removed else "kept"
        rows.append(
            {
                "field": name,
                "label": LABELS[name],
                "kept": kept,
                "removed": removed,
                "same": kept == removed,
                "default": default,
            }
        )
    return rows


def _merge(request, kind: str, pk: int):
    config = KINDS[kind]
    require_manage_scouting(request.user)
    pick = MergeForm(request.POST if request.method == "POST" else request.GET)
    try:
        keep = _get(request.user, kind, pk)
        if not pick.is_valid():
            messages.error(request, "Choose the record to compare it with.")
            return redirect(config["detail"], pk=pk)
        other = _get(request.user, kind, pick.cleaned_data["other"])
    except _Gone as gone:
        return _gone(request, kind, gone.merge)
    if other.pk == keep.pk:
        messages.error(request, f"Choose two different {config['plural']} to merge.")
        return redirect(config["detail"], pk=pk)
    rows = _rows(kind, keep, other)
    form = MergeChoicesForm(
        request.POST if request.method == "POST" else None, rows=rows, prefix="pick"
    )
    for row in rows:
        picked = form.data.get(f"pick-{row['field']}") if form.is_bound else None
        row["picked"] = picked if picked in ("kept", "removed", "both") else row["default"]
    step, refusal, status = "compare", "", 200
    if request.method == "POST" and form.is_valid() and "back" not in request.POST:
        choices = {name: value for name, value in form.cleaned_data.items() if value}
        if "confirm" in request.POST:
            try:
                config["merge"](actor=request.user, keep=keep, remove=other, choices=choices)
            except services.RecordGone:
                # The loser of two merges at once: the same answer as a second merge.
                merge = selectors.merged_into(request.user, kind, other.pk) or (
                    selectors.merged_into(request.user, kind, keep.pk)
                )
                return _gone(request, kind, merge)
            except services.ScoutingError as error:
                refusal, status = error.message, 400
            else:
                messages.success(
                    request,
                    f"Merged {other} into {keep}. Its {config['moves']} now point here; "
                    "the merge is recorded below.",
                )
                return redirect(config["detail"], pk=keep.pk)
        else:
            step = "confirm"
        for row in rows:
            row["chosen"] = "kept" if row["same"] else choices.get(row["field"], "kept")
    elif request.method == "POST" and not form.is_valid():
        status = 400
    return render(
        request,
        "scouting/merge.html",
        {
            "kind": kind,
            "config": config,
            "keep": keep,
            "other": other,
            "rows": rows,
            "form": form,
            "step": step,
            "refusal": refusal,
            "action": reverse(config["url"], args=[keep.pk]),
            "swap": reverse(config["url"], args=[other.pk]) + f"?other={keep.pk}",
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def person_merge_page(request, pk: int):
    return _merge(request, MergeKind.PERSON, pk)


@require_http_methods(["GET", "POST"])
def organisation_merge_page(request, pk: int):
    return _merge(request, MergeKind.ORGANISATION, pk)


@require_GET
def duplicate_list(request):
    pairs = selectors.duplicate_pairs(request.user)
    return render(request, "scouting/duplicates.html", pairs)


class DismissForm(forms.Form):
    kind = forms.ChoiceField(choices=MergeKind.choices)
    first = forms.IntegerField(min_value=1, max_value=DB_INT_MAX)
    second = forms.IntegerField(min_value=1, max_value=DB_INT_MAX)


@require_POST
def duplicate_mark_different(request):
    require_manage_scouting(request.user)
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the two records that are different.")
        return redirect("scouting:duplicates")
    kind = form.cleaned_data["kind"]
    try:
        first = _get(request.user, kind, form.cleaned_data["first"])
        second = _get(request.user, kind, form.cleaned_data["second"])
    except _Gone as gone:
        return _gone(request, kind, gone.merge)
    try:
        services.duplicate_dismiss(actor=request.user, kind=kind, first=first, second=second)
    except services.ScoutingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{first} and {second} are no longer listed as duplicates.")
    return redirect("scouting:duplicates")
