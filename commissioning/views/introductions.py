"""The introductions pipeline, its CSV export, the referral ledger, and one introduction."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import programmes_run_by
from seir.params import bounded_pk
from seir.spreadsheet import csv_response, csv_safe
from ventures.models import VentureStatus
from ventures.permissions import venture_access
from ventures.profile_sections import profile_sections_for
from ventures.selectors import NarrowPaginator, ventures_visible_to

from .. import permissions, selectors, services
from ..forms import IntroductionForm, RespondForm, StepForm
from ..models import Contact, Priority, Step
from .common import (
    REFUSALS,
    apply_refusal,
    create_page,
    redraw_against,
    require_commissioning,
)

LEDGER_PAGE_SIZE = 50


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def pipeline(request):
    if not permissions.can_list_introductions(request.user):
        raise Http404("No such page.")
    return render(request, "commissioning/introduction_pipeline.html", _pipeline_context(request))


def _pipeline_context(request) -> dict:
    introduction_filter = selectors.introduction_filter(user=request.user, data=request.GET)
    return {
        "filter": introduction_filter,
        "columns": selectors.introduction_pipeline(introduction_filter=introduction_filter),
        "query": _query(request),
        "is_staff_view": permissions.can_use_commissioning(request.user),
        "can_introduce": permissions.can_manage_commissioners(request.user),
        "column_size": selectors.PIPELINE_COLUMN_SIZE,
    }


CSV_COLUMNS = [
    "id",
    "venture",
    "programme",
    "commissioner",
    "contact",
    "priority",
    "made_by",
    "made_on",
    "purpose",
    "step",
    "step_on",
    "meeting_dates_proposed",
]


@require_GET
def export(request):
    """The filtered introductions as CSV, streamed through the shared helper."""
    if not permissions.can_list_introductions(request.user):
        raise Http404("No such page.")
    rows = selectors.introduction_rows(
        introduction_filter=selectors.introduction_filter(user=request.user, data=request.GET)
    )
    meeting_dates = selectors.meeting_dates_by_introduction(introductions=rows)
    stamp = timezone.localdate().isoformat()
    return csv_response(f"introductions-{stamp}.csv", CSV_COLUMNS, _csv_rows(rows, meeting_dates))


def _csv_rows(rows, meeting_dates):
    for i in rows.iterator(chunk_size=500):
        yield [
            i.pk,
            csv_safe(i.venture.name),
            csv_safe(i.venture.programme.name),
            csv_safe(i.commissioner.name),
            csv_safe(i.contact.name),
            csv_safe(i.priority.title) if i.priority else "",
            csv_safe(i.made_by.display_name),
            i.made_on.isoformat(),
            csv_safe(i.purpose),
            i.get_step_display(),
            i.step_on.isoformat(),
            " ".join(day.isoformat() for day in meeting_dates.get(i.pk, ())),
        ]


@require_GET
def ledger(request):
    require_commissioning(request.user)
    return render(request, "commissioning/ledger.html", _ledger_context(request))


def _ledger_context(request) -> dict:
    introduction_filter = selectors.introduction_filter(user=request.user, data=request.GET)
    # The page's ids by a narrow index walk, then only those rows joined (issue 8).
    page = NarrowPaginator(
        selectors.introduction_rows(introduction_filter=introduction_filter), LEDGER_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return {
        "filter": introduction_filter,
        "rows": selectors.referral_ledger(introduction_filter=introduction_filter),
        "page": page,
        "query": _query(request),
    }


@require_http_methods(["GET", "POST"])
def introduction_create(request):
    """Start an introduction, pre-filled from a venture page or a priority page."""
    if not permissions.can_manage_commissioners(request.user):
        raise Http404("No such page.")
    managed = managed_ventures(request.user)
    initial = {}
    venture_pk, priority_pk = (
        bounded_pk(request.GET.get("venture")),
        bounded_pk(request.GET.get("priority")),
    )
    if venture_pk and managed.filter(pk=venture_pk).exists():
        initial["venture"] = venture_pk
    if priority_pk:
        priority = Priority.objects.filter(pk=priority_pk, is_active=True).first()
        if priority is not None:
            initial["priority"] = priority.pk
            contact = Contact.objects.filter(
                commissioner=priority.commissioner, is_active=True
            ).first()
            if contact is not None:
                initial["contact"] = contact.pk
            initial["purpose"] = f"To discuss the priority “{priority.title}”."
    form = IntroductionForm(request.POST or None, ventures=managed, initial=initial)

    return create_page(
        request,
        form,
        title="Make an introduction",
        submit="Make introduction",
        save=lambda: services.introduction_make(actor=request.user, **form.service_data()),
        shown_at=lambda introduction: (
            reverse("commissioning:introduction", args=[introduction.pk])
            if introduction is not None
            else reverse("commissioning:introductions")
        ),
        saved=lambda introduction: (
            f"{introduction.venture} was introduced to {introduction.contact.name} "
            f"({introduction.commissioner})."
        ),
    )


def managed_ventures(user):
    """Active ventures in the programmes the user runs (the ones they introduce)."""
    return (
        ventures_visible_to(user=user)
        .filter(programme__in=programmes_run_by(user), status=VentureStatus.ACTIVE)
        .order_by("name", "pk")
    )


def _draws(user, introduction) -> tuple[bool, bool, bool]:
    """Whether the user manages the introduction, and whether its page draws the staff
    step form and the commissioner's response form."""
    manage = permissions.can_record_for_venture(user, introduction.venture)
    can_respond = not manage and bool(permissions.commissioner_answers(user, introduction))
    return manage, manage and not introduction.is_final, can_respond


def render_introduction(request, introduction, *, step_form=None, respond_form=None, status=200):
    user = request.user
    manage, draws_step, can_respond = _draws(user, introduction)
    if step_form is None and draws_step:
        step_form = StepForm(referral=introduction, proposes_dates=True)
    if respond_form is None and can_respond:
        respond_form = RespondForm(introduction=introduction, user=user)
    shows_profile = permissions.can_read_introduced_profile(user, introduction)
    return render(
        request,
        "commissioning/introduction_detail.html",
        {
            "introduction": introduction,
            "history": selectors.introduction_history(introduction=introduction),
            "meeting_dates": selectors.introduction_meeting_dates(introduction=introduction),
            "shows_profile": shows_profile,
            "profile_sections": profile_sections_for(introduction.venture) if shows_profile else [],
            "links_venture": venture_access(user, introduction.venture).view,
            "manage": manage,
            "step_form": step_form if draws_step else None,
            "respond_form": respond_form if can_respond else None,
            "addressed": permissions.is_addressed_to(user, introduction),
        },
        status=status,
    )


@require_GET
def introduction_detail(request, pk: int):
    return render_introduction(request, selectors.introduction_get(user=request.user, pk=pk))


@require_POST
def introduction_step(request, pk: int):
    introduction = selectors.introduction_get(user=request.user, pk=pk)
    if not permissions.can_record_for_venture(request.user, introduction.venture):
        raise Http404("No such page.")
    form = StepForm(request.POST, referral=introduction, proposes_dates=True)
    stale = None
    if form.is_valid():
        try:
            services.referral_move(
                actor=request.user,
                referral=introduction,
                to_step=form.cleaned_data["to_step"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                expected_step=form.cleaned_data["expected_step"],
                proposed_dates=form.proposed_dates(),
            )
        except REFUSALS as error:
            apply_refusal(form, error)
            stale = error if isinstance(error, services.StaleStep) else None
        else:
            messages.success(request, f"Recorded: {introduction.get_step_display()}.")
            return redirect("commissioning:introduction", pk=introduction.pk)
    introduction = selectors.introduction_get(user=request.user, pk=pk)
    if stale is not None:
        drawn = _draws(request.user, introduction)[1]
        redraw_against(request, form, stale, introduction, drawn=drawn)
    return render_introduction(request, introduction, step_form=form, status=400)


@require_POST
def introduction_respond(request, pk: int):
    """The addressed commissioner agrees a meeting (proposing dates) or declines, through
    the same service as the SEiR's steps."""
    introduction = selectors.introduction_get(user=request.user, pk=pk)
    if not permissions.is_addressed_to(request.user, introduction):
        raise Http404("No such page.")
    form = RespondForm(request.POST, introduction=introduction, user=request.user)
    stale = None
    if form.is_valid():
        try:
            services.referral_move(
                actor=request.user,
                referral=introduction,
                to_step=form.to_step(),
                note=form.cleaned_data["reason"],
                expected_step=form.cleaned_data["expected_step"],
                proposed_dates=form.proposed_dates(),
            )
        except REFUSALS as error:
            apply_refusal(form, error)
            stale = error if isinstance(error, services.StaleStep) else None
        else:
            if form.to_step() == Step.MEETING_AGREED:
                messages.success(
                    request, "You agreed a meeting. The SEiR sees the dates you proposed."
                )
            else:
                messages.success(request, "You declined this introduction.")
            return redirect("commissioning:introduction", pk=introduction.pk)
    introduction = selectors.introduction_get(user=request.user, pk=pk)
    drawn = _draws(request.user, introduction)[2]
    if stale is not None:
        redraw_against(request, form, stale, introduction, drawn=drawn)
    elif not drawn:
        # A hand-made answer where none is left: no form to show the error beside.
        messages.error(
            request,
            f"It is at “{introduction.get_step_display()}”: "
            "there is nothing left for you to answer.",
        )
    return render_introduction(request, introduction, respond_form=form, status=400)
