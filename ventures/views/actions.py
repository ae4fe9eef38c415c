"""Actions on a venture: stage moves, status, notes, gate confirmations, team."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from submissions.responses import already_saved, seen_before
from submissions.services import AlreadySubmitted, submission_save_once
from submissions.views import save_once

from .. import gates, selectors, services
from ..forms import GateConfirmForm, MoveForm, NoteForm, StatusForm, TeamMemberForm
from ..models import GateCondition, TeamMembership, VentureStatus
from ..permissions import venture_is_movable
from .common import REFUSALS, next_url, show_refusal, visible_venture
from .pages import render_detail

MOVE_REFUSED = "Only the programme's SEiR can move ventures."


def _triggered(response: HttpResponse, event: str, detail: dict) -> HttpResponse:
    response["HX-Trigger"] = json.dumps({event: detail})
    return response


@require_http_methods(["GET", "POST"])
def venture_move_view(request, pk: int):
    """The move form: a page, or (htmx) the dialog's content.

    A drop on the board posts here with htmx and ``drop=1``: a move answers 204 with a
    ``venture-moved`` event (the board refreshes the card); a refusal answers the dialog,
    server-rendered with the reason, and a ``venture-move-refused`` event, so the board
    snaps the card back and opens the dialog (with the override reason when it helps).
    """
    # Visible but not theirs to move (managers, the team): 403. The status rule is the
    # service's, which explains it ("Reactivate it before moving it").
    venture, access, perms = visible_venture(
        request, pk, allowed=lambda p: p.is_programme_staff, refusal=MOVE_REFUSED
    )
    if not venture_is_movable(venture):
        return _move_not_movable(request, venture, perms)
    form = MoveForm(
        request.POST or None,
        initial={"to_stage": request.GET.get("to")} if request.GET.get("to") else {},
        venture=venture,
        transitions=list(selectors.transition_list(venture=venture)),
    )
    default_next = reverse("ventures:detail", args=[venture.pk])
    refused = None
    if request.method == "POST" and form.is_valid():
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
            if error.unmet:
                # The missing conditions are listed once, in the gate list (✗) below.
                count = len(error.unmet)
                form.add_error(
                    None,
                    f"The gate to leave {venture.stage} is not met: {count} "
                    f"condition{'s' if count != 1 else ''} marked ✗ below "
                    f"{'are' if count != 1 else 'is'} missing.",
                )
            else:
                show_refusal(request, error, form=form)
        else:
            message = f"{venture} moved to {change.to_stage}."
            if change.override_reason:
                message += " The gate was overridden; your reason is in the timeline."
            if request.htmx and request.POST.get("drop"):
                return _triggered(HttpResponse(status=204), "venture-moved", {"message": message})
            messages.success(request, message)
            target = next_url(request, default_next)
            return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
    context = {
        "venture": venture,
        "form": form,
        "gate": gates.gate_status(venture, shown=True),
        "refused": refused,
        "next": next_url(request, default_next),
    }
    if not request.htmx:
        return render(request, "ventures/venture_move.html", context)
    response = render(request, "ventures/partials/move_form.html", context)
    if request.method == "POST":
        errors = form.non_field_errors() or [e for errs in form.errors.values() for e in errs]
        _triggered(response, "venture-move-refused", {"message": " ".join(errors)})
    return response


def _move_not_movable(request, venture, perms) -> HttpResponse:
    """A paused or closed venture does not move: its dialog says so and offers only what
    can be done, "Reactivate" (to those who may change its status), nothing to submit."""
    context = {
        "venture": venture,
        "perms": perms,
        "reason": (
            f"{venture} is {venture.get_status_display().lower()}. Reactivate it before moving it."
        ),
        "active": VentureStatus.ACTIVE,
        "next": next_url(request, reverse("ventures:detail", args=[venture.pk])),
    }
    if not request.htmx:
        return render(request, "ventures/venture_move.html", {**context, "not_movable": True})
    response = render(request, "ventures/partials/move_not_movable.html", context)
    if request.method == "POST":
        _triggered(response, "venture-move-refused", {"message": context["reason"]})
    return response


@require_POST
def venture_status(request, pk: int):
    venture, access, _ = visible_venture(request, pk, allowed=lambda p: p.can_change_status)
    form = StatusForm(request.POST, venture=venture)
    if form.is_valid():
        try:
            services.venture_set_status(
                actor=request.user,
                venture=venture,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
            )
        except REFUSALS as error:
            show_refusal(request, error, form=form)
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
def venture_note_add_view(request, pk: int):
    venture, access, perms = visible_venture(
        request,
        pk,
        allowed=lambda p: p.can_add_note,
        refusal="You cannot add notes to this venture.",
    )
    form = NoteForm(request.POST, manage=perms.can_add_staff_note)
    return save_once(
        request,
        form,
        save=lambda: services.venture_note_add(
            actor=request.user,
            venture=venture,
            body=form.cleaned_data["body"],
            visibility=form.cleaned_data["visibility"],
        ),
        shown_at=lambda _note: reverse("ventures:detail", args=[venture.pk]) + "#timeline",
        saved="Note added.",
        not_saved="The note was not added: see the Activity section.",
        refusals=REFUSALS,
        refused=lambda: render_detail(request, venture, access, note_form=form),
    )


@require_POST
def gate_confirm(request, pk: int, condition_id: int):
    venture, access, _ = visible_venture(request, pk, allowed=lambda p: p.can_confirm_gate)
    condition = get_object_or_404(
        GateCondition, pk=condition_id, stage__programme=venture.programme_id
    )
    back = redirect(reverse("ventures:detail", args=[venture.pk]) + "#gate")
    if request.POST.get("action") == "withdraw":
        try:
            services.gate_condition_withdraw(
                actor=request.user, venture=venture, condition=condition
            )
        except REFUSALS as error:
            show_refusal(request, error)
        else:
            messages.success(request, f"Confirmation withdrawn: {condition}.")
        return back
    form = GateConfirmForm(request.POST)
    done_url = reverse("ventures:detail", args=[venture.pk]) + "#gate"
    if form.is_valid():
        if seen_before(request):
            return already_saved(request, done_url)
        try:
            confirmation = submission_save_once(
                actor=request.user,
                token=form.submission_token,
                save=lambda: services.gate_condition_confirm(
                    actor=request.user,
                    venture=venture,
                    condition=condition,
                    evidence=form.cleaned_data["evidence"],
                    override_reason=form.cleaned_data["override_reason"],
                ),
            )
        except AlreadySubmitted:
            return already_saved(request, done_url)
        except ValidationError as error:
            show_refusal(request, error, form=form)  # beside the field, input kept
        except REFUSALS as error:
            show_refusal(request, error)  # not this person's, or not confirmable: a message
            return back
        else:
            overridden = confirmation is not None and confirmation.override_reason
            messages.success(
                request,
                f"Confirmed as an override: {condition}."
                if overridden
                else f"Confirmed: {condition}.",
            )
            return back
    # Refused: the page again, with what was typed and the reason beside the field.
    messages.error(request, f"“{condition}” was not confirmed: see the Gate section.")
    return render_detail(request, venture, access, gate_form=form, gate_condition=condition)


@require_POST
def team_add(request, pk: int):
    venture, _, _ = visible_venture(request, pk, allowed=lambda p: p.can_manage_team)
    done_url = reverse("ventures:detail", args=[venture.pk]) + "#team"
    if seen_before(request):
        return already_saved(request, done_url)
    form = TeamMemberForm(request.POST, venture=venture)
    if form.is_valid():
        try:
            submission_save_once(
                actor=request.user,
                token=form.submission_token,
                save=lambda: services.team_member_add(
                    actor=request.user,
                    venture=venture,
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                ),
            )
        except AlreadySubmitted:
            return already_saved(request, done_url)
        except REFUSALS as error:
            show_refusal(request, error)
        else:
            messages.success(request, f"{form.cleaned_data['user']} joined the team.")
    else:
        messages.error(request, "Choose a person and a team role.")
    return redirect(done_url)


@require_POST
def team_remove(request, pk: int, membership_id: int):
    venture, _, _ = visible_venture(request, pk, allowed=lambda p: p.can_manage_team)
    membership = get_object_or_404(TeamMembership, pk=membership_id, venture=venture)
    try:
        services.team_member_remove(actor=request.user, membership=membership)
    except REFUSALS as error:
        show_refusal(request, error)
    else:
        messages.success(request, f"{membership.user} left the team.")
    return redirect(reverse("ventures:detail", args=[venture.pk]) + "#team")
