"""Helpers the checklist views share."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from files.validation import clean_filename
from ventures.tabs import venture_page_context

from .. import selectors
from ..forms import ItemForm, LinkForm, MoveForm, RemoveForm, UploadForm
from ..permissions import can_add_evidence, can_make
from ..status import TRANSITIONS, Needs


def item_for(request, item_id: int, *, need: str = "view"):
    """The item if the user may see it (404 otherwise) and may do ``need``."""
    item, access, checklist_access = selectors.item_get(user=request.user, pk=item_id)
    if need != "view" and not getattr(checklist_access, need):
        raise PermissionDenied("You cannot change this checklist.")
    return item, access, checklist_access


def move_forms(item, checklist_access, bound: MoveForm | None = None) -> list[dict]:
    """One form per move the person may make now (the table decides, not the template)."""
    if item.is_removed:
        return []
    forms = []
    for move in TRANSITIONS.moves(item.status):
        if not can_make(checklist_access, move):
            continue
        if bound is not None and bound.data.get("to_status") == move.to:
            form = bound
        else:
            form = MoveForm(initial={"to_status": move.to, "expected_status": item.status})
        forms.append(
            {
                "move": move,
                "form": form,
                "needs_comment": move.needs in (Needs.COMMENT, Needs.REASON),
                "comment_label": "Reason" if move.needs == Needs.REASON else "Comment",
                "accepting": move.to == "accepted",
            }
        )
    return forms


def item_context(request, item, access, checklist_access, **overrides) -> dict:
    venture = item.checklist.venture
    evidence = list(selectors.item_evidence(item=item))
    bound_move = overrides.pop("move_form", None)
    context = {
        **venture_page_context(request, venture, access, tab="checklist"),
        "item": item,
        "checklist_access": checklist_access,
        "evidence": evidence,
        "replaced": [e for e in evidence if not e.is_current],
        "history": list(selectors.item_history(item=item)),
        "move_forms": move_forms(item, checklist_access, bound_move),
        "evidence_open": can_add_evidence(checklist_access, item),
    }
    if context["evidence_open"]:
        context["upload_form"] = overrides.pop("upload_form", None) or UploadForm(item=item)
        context["link_form"] = overrides.pop("link_form", None) or LinkForm(item=item)
    else:
        # Sent from a page left open while the item moved on (submitted, accepted,
        # removed): the forms are gone, so say here what was not added and why.
        context["evidence_errors"] = [
            *_not_added(overrides.pop("upload_form", None)),
            *_not_added(overrides.pop("link_form", None)),
        ]
    if checklist_access.review and not item.is_removed:
        context["edit_form"] = overrides.pop("edit_form", None) or ItemForm(
            instance=item, venture=venture, checklist=item.checklist, adding=False
        )
        context["remove_form"] = overrides.pop("remove_form", None) or RemoveForm()
    if bound_move is not None and not any(f["form"] is bound_move for f in context["move_forms"]):
        # The move is no longer on offer (the item moved meanwhile): say why, above them.
        context["move_errors"] = [e for errs in bound_move.errors.values() for e in errs]
    context.update(overrides)
    return context


def _not_added(form) -> list[str]:
    """A refused evidence form's errors, each naming the file or link it was about."""
    if form is None or not form.errors:
        return []
    if isinstance(form, UploadForm):
        upload = form.files.get(form.add_prefix("file"))
        what = f"“{clean_filename(upload.name)}”" if upload else "The file"
    else:
        url = "".join(
            ch for ch in str(form.data.get(form.add_prefix("url"), "")) if ch.isprintable()
        )
        url = url.strip()
        what = f"The link {url}" if url else "The link"
    return [f"{what} was not added: {error}" for errors in form.errors.values() for error in errors]


def done(request, item, message: str):
    """After a successful action: htmx gets the refreshed item panel with the message in
    it; a plain form post is redirected to the item page (post/redirect/get)."""
    if request.htmx:
        from .pages import render_item

        item, access, checklist_access = selectors.item_get(user=request.user, pk=item.pk)
        return render_item(request, item, access, checklist_access, notice=message)
    messages.success(request, message)
    return redirect("checklists:item", item_id=item.pk)
