"""Actions on a venture: stage moves, status, notes, gate confirmations, team."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from .. import gates, selectors, services
from ..forms import (
    GateConfirmForm,
    MoveForm,
    NoteForm,
    StatusForm,
    TeamMemberForm,
)
from ..models import GateCondition, TeamMembership, VentureStatus
from .common import apply_form_errors, managed_venture, next_url
from .pages import render_detail


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_http_methods(["GET", "POST"])
def venture_move(request, pk: int):
    venture, access = selectors.venture_get(request.user, pk)
    if not access.manage:
        if _wants_json(request):
            return JsonResponse(
                {"ok": False, "message": "Only the programme's SEiR can move ventures."}, status=403
            )
        raise PermissionDenied("Only the programme's SEiR can move ventures.")
    transitions = list(selectors.allowed_transitions(venture))
    initial = {}
    if request.GET.get("to"):
        initial["to_stage"] = request.GET["to"]
    form = MoveForm(request.POST or None, initial=initial, venture=venture, transitions=transitions)
    default_next = reverse("ventures:detail", args=[venture.pk])
    refused = None
    if request.method == "POST":
        if form.is_valid():
            try:
                change = services.venture_move(
                    actor=request.user,
                    venture=venture,
                    to_stage=form.cleaned_data["to_stage"],
                    note=form.cleaned_data["note"],
                    override_reason=form.cleaned_data["override_reason"],
                    expected_stage=form.cleaned_data.get("expected_stage"),
                )
            except services.MoveRefused as error:
                refused = error
                form.add_error(None, error.message)
            else:
                message = f"{venture} moved to {change.to_stage}."
                if change.override_reason:
                    message += " The gate was overridden; your reason is in the timeline."
                if _wants_json(request):
                    return JsonResponse({"ok": True, "message": message})
                messages.success(request, message)
                target = next_url(request, default_next)
                if request.htmx:
                    return HttpResponseClientRedirect(target)
                return redirect(target)
        if _wants_json(request):
            message = (
                refused.message
                if refused
                else " ".join(str(e) for errs in form.errors.values() for e in errs)
            )
            return JsonResponse(
                {
                    "ok": False,
                    "message": message,
                    "can_override": bool(refused and refused.can_override),
                    "form_url": reverse("ventures:move", args=[venture.pk])
                    + f"?to={request.POST.get('to_stage', '')}",
                },
                status=409,
            )
    context = {
        "venture": venture,
        "form": form,
        "gate": gates.gate_status(venture),
        "refused": refused,
        "next": next_url(request, default_next),
    }
    template = "ventures/partials/move_form.html" if request.htmx else "ventures/venture_move.html"
    return render(request, template, context)


@require_POST
def venture_status(request, pk: int):
    venture, access = managed_venture(request, pk)
    form = StatusForm(request.POST, venture=venture)
    if form.is_valid():
        try:
            services.venture_set_status(
                actor=request.user,
                venture=venture,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        except services.VentureError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"{venture} is now {VentureStatus(form.cleaned_data['to_status']).label.lower()}.",
            )
            return redirect("ventures:detail", pk=venture.pk)
    messages.error(request, "The status was not changed: see the Status section.")
    return render_detail(request, venture, access, status_form=form)


# --- notes, gate confirmations, team ----------------------------------------------------


@require_POST
def venture_note_add(request, pk: int):
    venture, access = selectors.venture_get(request.user, pk)
    if not access.add_notes:
        raise PermissionDenied("You cannot add notes to this venture.")
    form = NoteForm(request.POST, manage=access.manage)
    if form.is_valid():
        try:
            services.venture_note_add(
                actor=request.user,
                venture=venture,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Note added.")
            return redirect(reverse("ventures:detail", args=[venture.pk]) + "#timeline")
    messages.error(request, "The note was not added: see the Activity section.")
    return render_detail(request, venture, access, note_form=form)


@require_POST
def gate_confirm(request, pk: int, condition_id: int):
    venture, _ = managed_venture(request, pk)
    condition = get_object_or_404(
        GateCondition, pk=condition_id, stage__programme=venture.programme_id
    )
    if request.POST.get("action") == "withdraw":
        services.gate_condition_withdraw(actor=request.user, venture=venture, condition=condition)
        messages.success(request, f"Confirmation withdrawn: {condition}.")
        return redirect(reverse("ventures:detail", args=[venture.pk]) + "#gate")
    form = GateConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.gate_condition_confirm(
                actor=request.user,
                venture=venture,
                condition=condition,
                evidence=form.cleaned_data["evidence"],
            )
        except (ValidationError, services.VentureError) as error:
            messages.error(request, getattr(error, "message", None) or " ".join(error.messages))
        else:
            messages.success(request, f"Confirmed: {condition}.")
    else:
        messages.error(request, f"Give the evidence for “{condition}” to confirm it.")
    return redirect(reverse("ventures:detail", args=[venture.pk]) + "#gate")


@require_POST
def team_add(request, pk: int):
    venture, _ = managed_venture(request, pk)
    form = TeamMemberForm(request.POST, venture=venture)
    if form.is_valid():
        try:
            services.team_member_add(
                actor=request.user,
                venture=venture,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{form.cleaned_data['user']} joined the team.")
    else:
        messages.error(request, "Choose a person and a team role.")
    return redirect(reverse("ventures:detail", args=[venture.pk]) + "#team")


@require_POST
def team_remove(request, pk: int, membership_id: int):
    venture, _ = managed_venture(request, pk)
    membership = get_object_or_404(TeamMembership, pk=membership_id, venture=venture)
    try:
        services.team_member_remove(actor=request.user, membership=membership)
    except services.VentureError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{membership.user} left the team.")
    return redirect(reverse("ventures:detail", args=[venture.pk]) + "#team")
