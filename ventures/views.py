"""Thin views: check access through selectors, validate a form, call one service."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.selectors import programmes_run_by, programmes_visible_to

from . import gates, selectors, services
from .filters import VentureFilter
from .forms import (
    GateConfirmForm,
    MoveForm,
    NoteForm,
    StatusForm,
    TeamMemberForm,
    VentureCreateForm,
    VentureProfileForm,
)
from .models import FieldChange, GateCondition, Stage, TeamMembership, Venture, VentureStatus
from .timeline import venture_timeline

BOARD_PAGE_SIZE = 50
LIST_PAGE_SIZE = 25


def _apply_form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _managed_venture(request, pk):
    venture, access = selectors.venture_get(request.user, pk)
    if not access.manage:
        # Visible but read-only (managers, team members): refuse plainly.
        raise PermissionDenied("Only the programme's SEiR can do that.")
    return venture, access


# --- board -------------------------------------------------------------------------


def _url_for_each(name: str):
    """``pk -> url`` for a route with one int argument, reversing it only once (a board
    of hundreds of cards otherwise spends a third of its time in reverse())."""
    marker = "2147483647"
    pattern = reverse(name, args=[int(marker)])
    return lambda pk: pattern.replace(marker, str(pk))


def _cards(queryset, offset: int, now):
    ventures = list(queryset[offset : offset + BOARD_PAGE_SIZE])
    statuses = gates.gate_status_many(ventures)
    transitions = selectors.transitions_by_stage({v.stage_id for v in ventures})
    detail_url, move_url, card_url = (
        _url_for_each(name) for name in ("ventures:detail", "ventures:move", "ventures:card")
    )
    for venture in ventures:
        venture.gate = statuses[venture.pk]
        venture.days_in_stage = selectors.days_since(venture.stage_entered_at, now)
        venture.moves = transitions.get(venture.stage_id, [])
        venture.urls = {
            "detail": detail_url(venture.pk),
            "move": move_url(venture.pk),
            "card": card_url(venture.pk),
        }
    return ventures


def _board_url(request) -> str:
    """Where a move started from a card returns to: the board page the person is on."""
    board = reverse("ventures:board")
    if request.htmx and request.htmx.current_url_abs_path:
        path = request.htmx.current_url_abs_path
        if path.startswith(board):
            return path
    return board


def _column_queryset(request, stage):
    return (
        selectors.venture_list(request.user)
        .filter(stage=stage)
        .exclude(status=VentureStatus.CLOSED)
        .order_by("stage_entered_at", "pk")
    )


@require_GET
def board(request):
    programmes = list(programmes_visible_to(request.user))
    if not programmes:
        return render(request, "ventures/board.html", {"programmes": [], "columns": []})
    programme = next(
        (p for p in programmes if str(p.pk) == request.GET.get("programme")), programmes[0]
    )
    stages = list(selectors.stages_for_programme(programme.pk))
    visible = selectors.ventures_visible_to(request.user).exclude(status=VentureStatus.CLOSED)
    counts = dict(
        visible.filter(programme=programme)
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    now = timezone.now()
    columns = []
    for stage in stages:
        cards = _cards(_column_queryset(request, stage), 0, now)
        columns.append({"stage": stage, "cards": cards, "count": counts.get(stage.pk, 0)})
    can_manage = programmes_run_by(request.user).filter(pk=programme.pk).exists()
    return render(
        request,
        "ventures/board.html",
        {
            "programmes": programmes,
            "programme": programme,
            "columns": columns,
            "page_size": BOARD_PAGE_SIZE,
            "can_manage": can_manage,
            "board_url": request.get_full_path(),
        },
    )


@require_GET
def board_column(request, stage_id: int):
    stage = get_object_or_404(Stage, pk=stage_id, programme__in=programmes_visible_to(request.user))
    try:
        offset = max(0, int(request.GET.get("offset", 0)))
    except ValueError:
        offset = 0
    queryset = _column_queryset(request, stage)
    total = queryset.count()
    cards = _cards(queryset, offset, timezone.now())
    can_manage = programmes_run_by(request.user).filter(pk=stage.programme_id).exists()
    return render(
        request,
        "ventures/partials/board_more.html",
        {
            "cards": cards,
            "stage": stage,
            "next_offset": offset + BOARD_PAGE_SIZE,
            "has_more": offset + BOARD_PAGE_SIZE < total,
            "can_manage": can_manage,
            "board_url": _board_url(request),
        },
    )


@require_GET
def venture_card(request, pk: int):
    """One board card (refreshed after a drag-and-drop move)."""
    selectors.venture_get(request.user, pk)  # 404 unless visible
    cards = _cards(selectors.venture_list(request.user).filter(pk=pk), 0, timezone.now())
    can_manage = programmes_run_by(request.user).filter(pk=cards[0].programme_id).exists()
    return render(
        request,
        "ventures/partials/board_card.html",
        {"v": cards[0], "can_manage": can_manage, "board_url": _board_url(request)},
    )


# --- list and export ---------------------------------------------------------------


def _filtered(request):
    return VentureFilter(
        request.GET or None, queryset=selectors.venture_list(request.user), user=request.user
    )


@require_GET
def venture_list(request):
    venture_filter = _filtered(request)
    page = Paginator(venture_filter.qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for venture in page.object_list:
        venture.days_in_stage = selectors.days_since(venture.stage_entered_at, now)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ventures/venture_list.html",
        {
            "filter": venture_filter,
            "page": page,
            "query": query.urlencode(),
            "can_create": programmes_run_by(request.user).exists(),
        },
    )


CSV_COLUMNS = [
    "id",
    "name",
    "programme",
    "stage",
    "status",
    "origin",
    "nhs_spinout",
    "legal_form",
    "lead",
    "seir",
    "area",
    "entered_stage",
    "days_in_stage",
    "updated",
]


@require_GET
def venture_export(request):
    venture_filter = _filtered(request)
    now = timezone.now()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(now).strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="ventures-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for v in venture_filter.qs.iterator(chunk_size=500):
        writer.writerow(
            [
                v.pk,
                _csv_safe(v.name),
                _csv_safe(v.programme.name),
                _csv_safe(v.stage.name),
                v.get_status_display(),
                v.get_origin_display(),
                "yes" if v.is_spinout else "no",
                _csv_safe(v.legal_form.name) if v.legal_form else "",
                _csv_safe(v.lead.display_name) if v.lead else "",
                _csv_safe(v.seir.display_name) if v.seir else "",
                _csv_safe(v.area),
                timezone.localtime(v.stage_entered_at).date().isoformat()
                if v.stage_entered_at
                else "",
                selectors.days_since(v.stage_entered_at, now) if v.stage_entered_at else "",
                timezone.localtime(v.updated_at).isoformat(timespec="seconds"),
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """Stop spreadsheet formula injection from user-entered text."""
    return "'" + value if value and value[0] in "=+-@\t\r" else value


# --- create and view ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def venture_create(request):
    if not programmes_run_by(request.user).exists():
        raise PermissionDenied("Only a programme's SEiR can add ventures.")
    form = VentureCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            venture = services.venture_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_form_errors(form, error)
        except services.VentureError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{venture} was added at {venture.stage}.")
            return redirect("ventures:detail", pk=venture.pk)
    return render(request, "ventures/venture_form.html", {"form": form, "title": "Add a venture"})


@require_GET
def venture_detail(request, pk: int):
    venture, access = selectors.venture_get(request.user, pk)
    return _render_detail(request, venture, access)


def _render_detail(request, venture, access, *, note_form=None, status_form=None, status=200):
    """The venture page; a refused note or status change passes its bound form back in
    so the person sees the error beside the field, with their input kept."""
    gate = gates.gate_status(venture)
    transitions = list(selectors.allowed_transitions(venture))
    forward = next((t for t in transitions if t.requires_gate), None)
    if note_form is None and access.add_notes:
        note_form = NoteForm(manage=access.manage)
    if status_form is None and access.manage:
        status_form = StatusForm(venture=venture)
    path = selectors.venture_stage_path(venture)
    context = {
        "venture": venture,
        "access": access,
        "gate": gate,
        "next_stage": forward.to_stage if forward else None,
        "transitions": transitions,
        "path": path,
        "days_in_stage": selectors.days_since(venture.stage_entered_at),
        # Both derived from the stage history, never stored.
        "days_total": selectors.days_since(path[0].entered_at) if path else None,
        "timeline": venture_timeline(venture, access),
        "team": selectors.venture_team(venture),
        "field_changes": selectors.venture_field_changes(venture),
        "note_form": note_form,
        "team_form": TeamMemberForm(venture=venture) if access.manage else None,
        "status_form": status_form,
    }
    return render(request, "ventures/venture_detail.html", context, status=status)


@require_GET
def my_ventures(request):
    ventures = list(selectors.ventures_of_team_member(request.user))
    statuses = gates.gate_status_many(ventures)
    now = timezone.now()
    for venture in ventures:
        venture.gate = statuses[venture.pk]
        venture.days_in_stage = selectors.days_since(venture.stage_entered_at, now)
    return render(request, "ventures/mine.html", {"ventures": ventures})


# --- edit ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def venture_edit(request, pk: int):
    venture, access = selectors.venture_get(request.user, pk)
    if not access.edit_profile:
        raise PermissionDenied("You can read this venture but not change it.")
    form = VentureProfileForm(request.POST or None, instance=venture, manage=access.manage)
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
            form.add_error(None, error.message)
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            if changes:
                messages.success(request, f"Saved {len(changes)} change(s) to {venture}.")
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
    venture, _ = _managed_venture(request, pk)
    change = get_object_or_404(FieldChange, pk=change_id, venture=venture)
    try:
        services.venture_revert_change(actor=request.user, change=change)
    except services.VentureError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, "The change was not reverted: " + " ".join(error.messages))
    else:
        messages.success(request, "The change was reverted.")
    return redirect(reverse("ventures:detail", args=[venture.pk]) + "#history")


# --- moves and status ----------------------------------------------------------------


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
                target = _next_url(request, default_next)
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
        "next": _next_url(request, default_next),
    }
    template = "ventures/partials/move_form.html" if request.htmx else "ventures/venture_move.html"
    return render(request, template, context)


@require_POST
def venture_status(request, pk: int):
    venture, access = _managed_venture(request, pk)
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
            _apply_form_errors(form, error)
        except services.VentureError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"{venture} is now {VentureStatus(form.cleaned_data['to_status']).label.lower()}.",
            )
            return redirect("ventures:detail", pk=venture.pk)
    messages.error(request, "The status was not changed: see the Status section.")
    return _render_detail(request, venture, access, status_form=form)


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
            _apply_form_errors(form, error)
        else:
            messages.success(request, "Note added.")
            return redirect(reverse("ventures:detail", args=[venture.pk]) + "#timeline")
    messages.error(request, "The note was not added: see the Activity section.")
    return _render_detail(request, venture, access, note_form=form)


@require_POST
def gate_confirm(request, pk: int, condition_id: int):
    venture, _ = _managed_venture(request, pk)
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
    venture, _ = _managed_venture(request, pk)
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
    venture, _ = _managed_venture(request, pk)
    membership = get_object_or_404(TeamMembership, pk=membership_id, venture=venture)
    try:
        services.team_member_remove(actor=request.user, membership=membership)
    except services.VentureError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{membership.user} left the team.")
    return redirect(reverse("ventures:detail", args=[venture.pk]) + "#team")
