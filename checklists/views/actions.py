"""Changing a checklist: giving one, adding/editing/removing items, moving an item."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from seir.forms import apply_form_errors
from submissions.views import save_once
from ventures.selectors import venture_get
from ventures.tabs import venture_page_context

from .. import selectors, services
from ..forms import ChecklistCreateForm, ItemAddForm, ItemForm, MoveForm, RemoveForm
from ..models import ItemStatus
from ..permissions import checklist_access
from .common import done, item_for
from .pages import render_item


def _reviewed_venture(request, pk):
    venture, access = venture_get(user=request.user, pk=pk)
    access_checklist = checklist_access(request.user, venture, access)
    if not access_checklist.view:
        raise Http404("No such venture.")
    if not access_checklist.review:
        raise PermissionDenied("Only the programme's SEiR can do that.")
    return venture, access


@require_POST
def checklist_start(request, pk: int):
    venture, _ = _reviewed_venture(request, pk)
    form = ChecklistCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a template from the list.")
    else:
        try:
            checklist = services.checklist_create(
                actor=request.user, venture=venture, template=form.cleaned_data["template"]
            )
        except services.ChecklistError as error:
            messages.error(request, error.message)
        else:
            count = checklist.items.count()
            messages.success(
                request,
                f"{venture} now has a due-diligence checklist of {count} item{'s' if count != 1 else ''}.",
            )
    return redirect("checklists:venture", pk=venture.pk)


@require_http_methods(["GET", "POST"])
def item_add(request, pk: int):
    venture, access = _reviewed_venture(request, pk)
    checklist = selectors.checklist_of(venture=venture)
    if checklist is None:
        messages.error(request, "Give the venture a checklist first.")
        return redirect("checklists:venture", pk=venture.pk)
    form = ItemAddForm(request.POST or None, venture=venture, checklist=checklist)

    def page():
        context = {**venture_page_context(request, venture, access, tab="checklist"), "form": form}
        return render(request, "checklists/item_add.html", context)

    if request.method != "POST":
        return page()
    return save_once(
        request,
        form,
        save=lambda: services.checklist_item_add(
            actor=request.user, checklist=checklist, **form.item_data()
        ),
        shown_at=lambda _item: reverse("checklists:venture", args=[venture.pk]),
        saved=lambda item: f"“{item}” was added to {item.section}.",
        refused=page,
    )


@require_POST
def item_move(request, item_id: int):
    # Only those who work on the checklist move items (the table then says which moves):
    # a PCT manager reads it and is refused here, before any form is read (issue 21).
    item, access, access_checklist = item_for(request, item_id, need="work")
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_item_move(
                actor=request.user,
                item=item,
                to_status=form.cleaned_data["to_status"],
                comment=form.cleaned_data["comment"],
                expected_status=form.cleaned_data["expected_status"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        except services.ChecklistError as error:
            form.add_error(None, error.message)
        else:
            item.refresh_from_db(fields=["status"])
            return done(request, item, f"“{item}” is now {ItemStatus(item.status).label.lower()}.")
    item.refresh_from_db()
    return render_item(request, item, access, access_checklist, move_form=form)


@require_POST
def item_edit(request, item_id: int):
    item, access, access_checklist = item_for(request, item_id, need="review")
    venture = item.checklist.venture
    form = ItemForm(
        request.POST, instance=item, venture=venture, checklist=item.checklist, adding=False
    )
    if form.is_valid():
        try:
            changed = services.checklist_item_update(
                actor=request.user,
                item=item,
                data=form.changed_values(),
                expected_seen=form.cleaned_data.get("seen", ""),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        except services.ItemConflict as error:
            # Nothing saved; what they typed stays, with what changed meanwhile.
            form.add_error(None, form.rebase_on(error.current))
        except services.ChecklistError as error:
            form.add_error(None, error.message)
        else:
            return done(
                request, item, "Saved." if changed else "Nothing had changed, so nothing was saved."
            )
    item.refresh_from_db()
    return render_item(request, item, access, access_checklist, edit_form=form)


@require_POST
def item_remove(request, item_id: int):
    item, access, access_checklist = item_for(request, item_id, need="review")
    form = RemoveForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_item_remove(
                actor=request.user, item=item, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        except services.ChecklistError as error:
            form.add_error(None, error.message)
        else:
            return done(
                request, item, f"“{item}” was removed from the checklist; it stays in the history."
            )
    return render_item(request, item, access, access_checklist, remove_form=form)
