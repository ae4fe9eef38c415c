"""The edit pages of people and organisations, and what they answer when the record went
while the page was open: merged into another (the form comes back on the record kept,
with what was typed), or erased or removed (what was typed stays on the page, with no
save that would fail). Opening a merged-away record's page leads to the one kept.

Where a record went is read from the merges' ``MergeRecord`` rows, scoped like every
read: someone who cannot see the records still gets a 404 for both ids."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from seir.forms import apply_form_errors

from .. import selectors, services
from ..forms import OrganisationForm, PersonForm
from ..models import Organisation, Person
from ..services.directory import ERASED
from .common import edited_meanwhile, saved_differences

KINDS = {
    "person": {
        "model": Person,
        "get": selectors.person_get,
        "form": PersonForm,
        "template": "scouting/person_form.html",
        "edit": "scouting:person_edit",
        "detail": "scouting:person_detail",
        "list": "scouting:person_list",
    },
    "organisation": {
        "model": Organisation,
        "get": selectors.organisation_get,
        "form": OrganisationForm,
        "template": "scouting/organisation_form.html",
        "edit": "scouting:organisation_edit",
        "detail": "scouting:organisation_detail",
        "list": "scouting:organisation_list",
    },
}
ERASED_MEANWHILE = (
    "This person's data was erased while you were editing, so the record can no longer be "
    "changed. Nothing was saved; what you typed is below, to copy if you still need it."
)
NO_LONGER_EXISTS = (
    "This record no longer exists: while you were editing it was merged into another record "
    "that has since been erased or removed. Nothing was saved; what you typed is below, to "
    "copy if you still need it."
)
MERGED_MEANWHILE = (
    "While you were editing, {old} was merged into {kept}. Your changes are below, on the "
    "kept record; check them and save again."
)


@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    try:
        person = selectors.person_get(user=request.user, pk=pk)
    except Http404:
        return _went_away(request, "person", pk)
    if person.is_erased:
        return _erased(request, person)
    form = PersonForm(request.POST or None, instance=person)
    status = 200
    if request.method == "POST" and form.is_valid():
        changes = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name not in ("different_person", "seen_at")
        }
        try:
            changed = services.person_update(
                actor=request.user, person=person, changes=changes, seen_at=form.seen_at()
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        except services.EditedMeanwhile as error:
            edited_meanwhile(form, error.current)
            status = 409
        except services.RecordGone:
            return _went_away(request, "person", pk)
        except services.ScoutingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Saved." if changed else "Nothing had changed.")
            return redirect("scouting:person_detail", pk=pk)
    return render(
        request,
        "scouting/person_form.html",
        {"form": form, "person": person, "title": f"Edit {person}"},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk: int):
    try:
        organisation = selectors.organisation_get(user=request.user, pk=pk)
    except Http404:
        return _went_away(request, "organisation", pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    status = 200
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            changed = services.organisation_update(
                actor=request.user,
                organisation=organisation,
                changes=changes,
                seen_at=form.seen_at(),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        except services.EditedMeanwhile as error:
            edited_meanwhile(form, error.current)
            status = 409
        except services.RecordGone:
            return _went_away(request, "organisation", pk)
        else:
            messages.success(request, "Saved." if changed else "Nothing had changed.")
            return redirect("scouting:organisation_detail", pk=pk)
    return render(
        request,
        "scouting/organisation_form.html",
        {"form": form, "organisation": organisation, "title": f"Edit {organisation}"},
        status=status,
    )


def to_the_kept_record(request, kind: str, pk: int, target: str):
    """A page of a record merged away leads to the same page of the record kept in the
    end, saying so; 404 when no merge the user may see removed it."""
    away = selectors.merged_away(user=request.user, kind=kind, pk=pk)
    if away is None:
        raise Http404("No such record.")
    if away.kept is None:
        messages.error(
            request,
            f"{away.merge.removed_name} was merged into a record that no longer exists.",
        )
        return redirect(KINDS[kind]["list"])
    messages.info(request, f"{away.merge.removed_name} was merged into {away.kept}.")
    return redirect(target, pk=away.kept.pk)


def _went_away(request, kind: str, pk: int):
    """The edit page's record is not there (or, for a person, no longer editable)."""
    spec = KINDS[kind]
    try:
        record = spec["get"](user=request.user, pk=pk)
    except Http404:
        record = None
    if getattr(record, "is_erased", False):
        return _erased(request, record)
    if request.method != "POST":
        return to_the_kept_record(request, kind, pk, spec["edit"])
    away = selectors.merged_away(user=request.user, kind=kind, pk=pk)
    if away is None:
        raise Http404("No such record.")
    if away.kept is None or getattr(away.kept, "is_erased", False):
        # A stand-in for the record that went: the form shows what was typed, nothing more.
        stand_in = spec["model"](pk=pk, programme_id=away.merge.programme_id)
        return _not_saved(request, kind, spec["form"](request.POST, instance=stand_in))
    return _on_the_kept_record(request, kind, away)


def _on_the_kept_record(request, kind: str, away):
    """The form sent for a record merged away, shown again on the record kept: what was
    typed in its fields, each value saved there that differs named, and a fresh
    ``seen_at`` so that saving it again (once checked) saves on the kept record."""
    kept = away.kept
    form = KINDS[kind]["form"](request.POST, instance=kept)
    form.is_valid()
    differ = saved_differences(form, kept)
    form.add_error(
        None,
        MERGED_MEANWHILE.format(old=away.merge.removed_name, kept=kept)
        + (f" On the kept record, {'; '.join(differ)}." if differ else ""),
    )
    form.rebase(kept)
    return render(
        request,
        KINDS[kind]["template"],
        {"form": form, kind: kept, "title": f"Edit {kept}"},
        status=409,
    )


def _erased(request, person):
    if request.method != "POST":
        messages.error(request, ERASED)
        return redirect("scouting:person_detail", pk=person.pk)
    return _not_saved(
        request, "person", PersonForm(request.POST, instance=person), ERASED_MEANWHILE
    )


def _not_saved(request, kind: str, form, message: str = NO_LONGER_EXISTS):
    """What was typed for a record that no longer exists, shown with no save button."""
    form.is_valid()
    form.add_error(None, message)
    return render(
        request,
        KINDS[kind]["template"],
        {"form": form, "gone": True, "title": "Your changes were not saved"},
        status=410,
    )
