"""The commissioner directory: organisations, their contacts, priorities and windows."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from .. import permissions, selectors, services
from ..forms import CommissionerForm, ContactForm, PriorityForm, WindowForm
from .common import REFUSALS, apply_refusal, require_commissioning


@require_GET
def commissioner_list(request):
    require_commissioning(request.user)
    return render(
        request,
        "commissioning/commissioner_list.html",
        {
            "commissioners": selectors.commissioner_list(user=request.user),
            "can_manage": permissions.can_manage_commissioners(request.user),
            "totals": selectors.contract_totals_by_programme(user=request.user),
        },
    )


@require_GET
def commissioner_detail(request, pk: int):
    commissioner = selectors.commissioner_get(user=request.user, pk=pk)
    return render(
        request,
        "commissioning/commissioner_detail.html",
        {
            "commissioner": commissioner,
            "contacts": commissioner.contacts.select_related("user").order_by("name"),
            "priorities": selectors.priority_list(user=request.user, commissioner=commissioner),
            "can_manage": permissions.can_manage_commissioners(request.user),
        },
    )


@require_GET
def priority_detail(request, pk: int):
    priority = selectors.priority_get(user=request.user, pk=pk)
    return render(
        request,
        "commissioning/priority_detail.html",
        {
            "priority": priority,
            "windows": priority.windows.all(),
            "ventures": selectors.ventures_matching_priority(user=request.user, priority=priority)[
                :100
            ],
            "can_manage": permissions.can_manage_commissioners(request.user),
            "today": timezone.localdate(),
        },
    )


def _manage_form(request, form, *, title, submit, save, success, back):
    """Validate ``form``, call ``save(cleaned_data)``, report; shared by the create pages."""
    if not permissions.can_manage_commissioners(request.user):
        raise Http404("No such page.")
    if request.method == "POST" and form.is_valid():
        try:
            created = save(form.cleaned_data)
        except REFUSALS as error:
            apply_refusal(form, error)
        else:
            messages.success(request, success(created))
            return redirect(back(created))
    return render(
        request, "commissioning/form.html", {"form": form, "title": title, "submit": submit}
    )


@require_http_methods(["GET", "POST"])
def commissioner_new(request):
    require_commissioning(request.user)
    return _manage_form(
        request,
        CommissionerForm(request.POST or None),
        title="Add a commissioner",
        submit="Add commissioner",
        save=lambda data: services.commissioner_create(actor=request.user, **data),
        success=lambda c: f"{c} was added.",
        back=lambda c: c.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def contact_create(request, pk: int):
    commissioner = selectors.commissioner_get(user=request.user, pk=pk)
    return _manage_form(
        request,
        ContactForm(request.POST or None),
        title=f"Add a contact at {commissioner}",
        submit="Add contact",
        save=lambda data: services.contact_add(
            actor=request.user, commissioner=commissioner, **data
        ),
        success=lambda c: f"{c.name} was added.",
        back=lambda c: commissioner.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def priority_new(request, pk: int):
    commissioner = selectors.commissioner_get(user=request.user, pk=pk)
    return _manage_form(
        request,
        PriorityForm(request.POST or None),
        title=f"Add a priority for {commissioner}",
        submit="Add priority",
        save=lambda data: services.priority_create(
            actor=request.user, commissioner=commissioner, **data
        ),
        success=lambda p: f"The priority “{p.title}” was added.",
        back=lambda p: p.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def window_create(request, pk: int):
    priority = selectors.priority_get(user=request.user, pk=pk)
    return _manage_form(
        request,
        WindowForm(request.POST or None),
        title=f"Add a procurement window to “{priority.title}”",
        submit="Add window",
        save=lambda data: services.window_add(actor=request.user, priority=priority, **data),
        success=lambda w: f"Window added: {w}.",
        back=lambda w: priority.get_absolute_url(),
    )
