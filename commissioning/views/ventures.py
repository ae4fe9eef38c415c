"""The venture page's Commissioning tab, and what is recorded from it: focus, contracts,
support referrals."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from seir.params import bounded_pk
from ventures.selectors import venture_get
from ventures.tabs import venture_page_context

from .. import permissions, selectors, services
from ..forms import ContractForm, ContractStatusForm, FocusForm, StepForm, SupportReferralForm
from ..models import Introduction
from .common import REFUSALS, apply_refusal, create_page, redraw_against


def _venture(request, pk: int):
    venture, access = venture_get(user=request.user, pk=pk)
    if not permissions.sees_venture_records(request.user, venture):
        raise Http404("No such venture.")
    return venture, access


def _managed_venture(request, pk: int):
    venture, access = _venture(request, pk)
    if not access.manage:
        raise Http404("No such page.")
    return venture, access


def render_tab(request, venture, access, *, focus_form=None, status=200):
    return render(
        request,
        "commissioning/venture_tab.html",
        _tab_context(request, venture, access, focus_form=focus_form),
        status=status,
    )


def _tab_context(request, venture, access, *, focus_form=None) -> dict:
    focus = selectors.venture_focus(venture=venture)
    if focus_form is None and permissions.can_edit_focus(request.user, venture):
        focus_form = FocusForm(focus=focus)
    return {
        **venture_page_context(request, venture, access, tab="commissioning"),
        "focus": focus,
        "focus_form": focus_form,
        "introductions": selectors.venture_introductions(venture=venture),
        "contracts": selectors.venture_contracts(venture=venture),
        "referrals": selectors.venture_referrals(venture=venture),
        "matches": selectors.priorities_matching_venture(venture=venture, focus=focus),
    }


@require_GET
def venture_tab(request, pk: int):
    venture, access = _venture(request, pk)
    return render_tab(request, venture, access)


@require_POST
def focus_set(request, pk: int):
    venture, access = _venture(request, pk)
    if not permissions.can_edit_focus(request.user, venture):
        raise Http404("No such page.")
    form = FocusForm(request.POST, focus=selectors.venture_focus(venture=venture))
    if form.is_valid():
        try:
            services.venture_focus_set(
                actor=request.user,
                venture=venture,
                domains=list(form.cleaned_data["domains"]),
                service_areas=list(form.cleaned_data["service_areas"]),
            )
        except REFUSALS as error:
            apply_refusal(form, error)
        else:
            messages.success(request, "Saved what the venture works on.")
            return redirect("commissioning:venture_tab", pk=venture.pk)
    return render_tab(request, venture, access, focus_form=form, status=400)


@require_http_methods(["GET", "POST"])
def contract_create(request, pk: int):
    venture, _ = _managed_venture(request, pk)
    initial = {}
    introduction_pk = bounded_pk(request.GET.get("introduction"))
    introduction = (
        Introduction.objects.filter(pk=introduction_pk, venture=venture).first()
        if introduction_pk
        else None
    )
    if introduction is not None:
        initial = {"introduction": introduction.pk, "commissioner": introduction.commissioner_id}
        if introduction.priority:
            initial["service"] = introduction.priority.title[:200]
    form = ContractForm(request.POST or None, initial=initial)

    def record():
        data = form.service_data()
        pk_from_form = data.pop("introduction")
        linked = (
            Introduction.objects.filter(pk=pk_from_form, venture=venture).first()
            if pk_from_form
            else None
        )
        return services.contract_record(
            actor=request.user, venture=venture, introduction=linked, **data
        )

    # A double click or a resent page records the contract once: it counts towards the
    # programme's contract figures, and a contract cannot be deleted.
    return create_page(
        request,
        form,
        title=f"Record a contract for {venture}",
        submit="Record contract",
        venture=venture,
        save=record,
        shown_at=lambda contract: reverse("commissioning:venture_tab", args=[venture.pk]),
        saved=lambda contract: f"Contract recorded: {contract.service}.",
    )


@require_http_methods(["GET", "POST"])
def contract_detail(request, pk: int):
    contract = selectors.contract_get(user=request.user, pk=pk)
    manage = permissions.can_record_for_venture(request.user, contract.venture)
    form = ContractStatusForm(request.POST or None, contract=contract) if manage else None
    status = 200
    if request.method == "POST":
        if not manage:
            raise Http404("No such page.")
        if form.is_valid():
            try:
                services.contract_set_status(
                    actor=request.user,
                    contract=contract,
                    to_status=form.cleaned_data["to_status"],
                    note=form.cleaned_data["note"],
                    expected_status=form.cleaned_data["expected_status"],
                )
            except REFUSALS as error:
                apply_refusal(form, error)
                if isinstance(error, services.StaleStep):
                    contract = selectors.contract_get(user=request.user, pk=pk)
                    drawn = bool(contract.next_statuses())
                    redraw_against(request, form, error, contract, drawn=drawn)
            else:
                messages.success(request, f"The contract is now {contract.get_status_display()}.")
                return redirect("commissioning:contract", pk=contract.pk)
        status = 400
    return render(
        request,
        "commissioning/contract_detail.html",
        {
            "contract": contract,
            "history": selectors.contract_history(contract=contract),
            "form": form if manage and contract.next_statuses() else None,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def referral_create(request, pk: int):
    venture, _ = _managed_venture(request, pk)
    form = SupportReferralForm(request.POST or None)

    return create_page(
        request,
        form,
        title=f"Refer {venture} for support",
        submit="Make referral",
        venture=venture,
        save=lambda: services.support_referral_make(
            actor=request.user, venture=venture, **form.service_data()
        ),
        shown_at=lambda referral: (
            reverse("commissioning:referral", args=[referral.pk])
            if referral is not None
            else reverse("commissioning:venture_tab", args=[venture.pk])
        ),
        saved=lambda referral: f"{venture} was referred to {referral.provider.name}.",
    )


@require_http_methods(["GET", "POST"])
def referral_detail(request, pk: int):
    referral = selectors.referral_get(user=request.user, pk=pk)
    manage = permissions.can_record_for_venture(request.user, referral.venture)
    form = None
    if manage and not referral.is_final:
        form = StepForm(request.POST or None, referral=referral)
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404("No such page.")
        if form.is_valid():
            try:
                services.referral_move(
                    actor=request.user,
                    referral=referral,
                    to_step=form.cleaned_data["to_step"],
                    on=form.cleaned_data["on"],
                    note=form.cleaned_data["note"],
                    expected_step=form.cleaned_data["expected_step"],
                )
            except REFUSALS as error:
                apply_refusal(form, error)
                if isinstance(error, services.StaleStep):
                    referral = selectors.referral_get(user=request.user, pk=pk)
                    drawn = not referral.is_final
                    redraw_against(request, form, error, referral, drawn=drawn)
            else:
                messages.success(request, f"Recorded: {referral.get_step_display()}.")
                return redirect("commissioning:referral", pk=referral.pk)
        status = 400
    return render(
        request,
        "commissioning/referral_detail.html",
        {
            "referral": referral,
            "history": selectors.referral_history(referral=referral),
            "form": form if not referral.is_final else None,
        },
        status=status,
    )
