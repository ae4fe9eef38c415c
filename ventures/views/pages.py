"""Adding, reading and editing a venture, and its timeline."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import runs_programme
from seir.dates import days_since
from seir.jinja2 import render_fragment
from submissions.views import save_once

from .. import asks, gates, selectors, services
from ..forms import (
    NoteForm,
    StatusForm,
    TeamMemberForm,
    VentureCreateForm,
    VentureProfileForm,
)
from ..models import FieldChange, Venture
from ..permissions import can_see_activity, venture_perms
from ..tabs import venture_page_context
from ..timeline import parse_offset, venture_timeline
from .common import REFUSALS, show_refusal, visible_venture


@require_http_methods(["GET", "POST"])
def venture_create_page(request):
    if not runs_programme(request.user):
        raise PermissionDenied("Only a programme's SEiR can add ventures.")
    form = VentureCreateForm(request.POST or None, user=request.user)

    def page():
        return render(
            request, "ventures/venture_form.html", {"form": form, "title": "Add a venture"}
        )

    if request.method != "POST":
        return page()
    return save_once(
        request,
        form,
        save=lambda: services.venture_create(actor=request.user, **form.venture_data()),
        shown_at=_venture_url,
        saved=lambda venture: f"{venture} was added at {venture.stage}.",
        refusals=REFUSALS,
        refused=page,
    )


def _venture_url(venture) -> str:
    return reverse("ventures:detail", args=[venture.pk]) if venture else reverse("ventures:list")


@require_GET
def venture_detail(request, pk: int):
    venture, access = selectors.venture_get(user=request.user, pk=pk)
    return render_detail(request, venture, access)


def render_detail(
    request,
    venture,
    access,
    *,
    note_form=None,
    status_form=None,
    gate_form=None,
    gate_condition=None,
    status=200,
):
    """The venture page; a refused note or status change passes its bound form back in
    so the person sees the error beside the field, with their input kept."""
    return render(
        request,
        "ventures/venture_detail.html",
        {
            **_detail_context(
                request, venture, access, note_form=note_form, status_form=status_form
            ),
            "gate_form": gate_form,
            "gate_condition_id": gate_condition.pk if gate_condition is not None else None,
        },
        status=status,
    )


def _detail_context(request, venture, access, *, note_form=None, status_form=None) -> dict:
    perms = venture_perms(request.user, venture, access)
    gate = gates.gate_status(venture, shown=True)
    transitions = list(selectors.transition_list(venture=venture))
    forward = next((t for t in transitions if t.requires_gate), None)
    if note_form is None and perms.can_add_note:
        note_form = NoteForm(manage=perms.can_add_staff_note)
    if status_form is None and perms.can_change_status:
        status_form = StatusForm(venture=venture)
    path = selectors.stage_visit_list(venture=venture)
    team = selectors.team_member_list(venture=venture)
    return {
        **venture_page_context(request, venture, access, tab="overview"),
        "venture_actions": True,  # the frame draws "Edit profile" and "Move stage"
        "perms": perms,
        "gate": gate,
        "next_stage": forward.to_stage if forward else None,
        "transitions": transitions,
        "path": path,
        "days_in_stage": days_since(venture.stage_entered_at),
        # Both derived from the stage history, never stored.
        "days_total": days_since(path[0].entered_at) if path else None,
        "timeline": venture_timeline(user=request.user, venture=venture, access=access)
        if perms.can_see_activity
        else [],
        "team": team,
        "field_changes": selectors.field_change_list(venture=venture),
        "note_form": note_form,
        "team_form": TeamMemberForm(venture=venture, team=team) if perms.can_manage_team else None,
        "status_form": status_form,
    }


@require_GET
def venture_timeline_page(request, pk: int):
    """Older timeline entries: a partial for "Show older" (htmx), or a page without JS."""
    venture, access = selectors.venture_get(user=request.user, pk=pk)
    if not can_see_activity(request.user, venture, access):
        raise Http404("No such venture.")
    timeline = venture_timeline(
        user=request.user,
        venture=venture,
        access=access,
        offset=parse_offset(request.GET.get("offset")),
    )
    if request.htmx:
        return HttpResponse(
            render_fragment(
                "ventures/timeline_entries.jinja",
                {"venture": venture, "timeline": timeline, "request": request},
            )
        )
    context = {
        **venture_page_context(request, venture, access, tab="overview"),
        "timeline": timeline,
    }
    return render(request, "ventures/venture_timeline.html", context)


@require_GET
def my_ventures(request):
    ventures = list(selectors.venture_list_for_team_member(user=request.user))
    statuses = gates.gate_status_many(ventures, shown=True)
    waiting = asks.team_asks(user=request.user, ventures=ventures)
    now = timezone.now()
    for venture in ventures:
        venture.gate = statuses[venture.pk]
        venture.asks = waiting.get(venture.pk, [])
        venture.days_in_stage = days_since(venture.stage_entered_at, now)
    return render(request, "ventures/mine.html", {"ventures": ventures})


# --- edit ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def venture_edit(request, pk: int):
    venture, _, perms = visible_venture(
        request,
        pk,
        allowed=lambda p: p.can_edit_profile,
        refusal="You can read this venture but not change it.",
    )
    form = VentureProfileForm(
        request.POST or None, instance=venture, manage=perms.is_programme_staff
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.venture_update_profile(
                actor=request.user,
                venture=venture,
                data=form.changed_data_dict(),
                expected_version=form.cleaned_data["version"],
            )
        except services.EditConflict as error:
            clashes = form.rebase_on(error)
            conflict = {
                "values": [
                    (
                        Venture._meta.get_field(name).verbose_name.capitalize(),
                        services.field_display(error.current, name),
                        name in clashes,
                    )
                    for name in error.changed_fields
                ],
                "clashes": bool(clashes),
            }
            show_refusal(request, error, form=form)
        except REFUSALS as error:
            show_refusal(request, error, form=form)
        else:
            if changes:
                messages.success(request, f"Saved {len(changes)} change(s) to {venture}.")
            elif form.cleaned_data["version"] != venture.version:
                # Sent from an older version, yet it changes nothing: what it carries is
                # already saved (a double click on Save, a resend).
                messages.info(request, f"Already saved: {venture} shows what you sent.")
            else:
                messages.info(request, "Nothing had changed, so nothing was saved.")
            return redirect("ventures:detail", pk=venture.pk)
    return render(
        request,
        "ventures/venture_form.html",
        {"form": form, "venture": venture, "title": f"Edit {venture}", "conflict": conflict},
    )


@require_POST
def venture_revert(request, pk: int, change_id: int):
    venture, _, _ = visible_venture(
        request, pk, allowed=lambda p: p.can_revert, refusal="Only the SEiR can revert changes."
    )
    change = get_object_or_404(FieldChange, pk=change_id, venture=venture)
    try:
        services.venture_revert_change(actor=request.user, change=change)
    except REFUSALS as error:
        show_refusal(request, error, prefix="The change was not reverted: ")
    else:
        messages.success(request, "The change was reverted.")
    return redirect(reverse("ventures:detail", args=[venture.pk]) + "#history")
