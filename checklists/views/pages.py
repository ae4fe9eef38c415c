"""The Due diligence tab of a venture, and one item's page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ventures.selectors import venture_get
from ventures.tabs import venture_page_context

from .. import selectors
from ..forms import ChecklistCreateForm
from ..permissions import checklist_access
from .common import item_context, item_for


@require_GET
def venture_checklist(request, pk: int):
    venture, access = venture_get(user=request.user, pk=pk)
    access_checklist = checklist_access(request.user, venture, access)
    if not access_checklist.view:
        raise Http404("No such venture.")
    return render(
        request,
        "checklists/venture_checklist.html",
        _checklist_context(request, venture, access, access_checklist),
    )


def _checklist_context(request, venture, access, access_checklist) -> dict:
    checklist = selectors.checklist_of(venture=venture)
    today = timezone.localdate()
    sections, removed = (
        selectors.checklist_sections(checklist=checklist, today=today) if checklist else ([], [])
    )
    return {
        **venture_page_context(request, venture, access, tab="checklist"),
        "checklist": checklist,
        "checklist_access": access_checklist,
        "sections": sections,
        "removed": removed,
        "total": sum(s.total for s in sections),
        "done": sum(s.done for s in sections),
        "overdue": [i for s in sections for i in s.items if i.overdue],
        "create_form": ChecklistCreateForm() if access_checklist.review and not checklist else None,
    }


def render_item(request, item, access, checklist_access, status=200, **extra):
    context = item_context(request, item, access, checklist_access, **extra)
    # An htmx form post swaps just the item panel; every GET is the whole page (the tab
    # bar's htmx navigation selects #venture-page out of it).
    partial = request.htmx and request.method == "POST"
    template = "checklists/partials/item_panel.html" if partial else "checklists/item_detail.html"
    return render(request, template, context, status=status)


@require_GET
def item_detail(request, item_id: int):
    item, access, access_checklist = item_for(request, item_id)
    return render_item(request, item, access, access_checklist)
