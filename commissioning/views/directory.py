"""The commissioner directory: organisations, their contacts, priorities and windows."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from .. import permissions, selectors, services
from ..forms import CommissionerForm, ContactForm, PriorityForm, WindowForm
from .common import create_page, require_commissioning


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


def _manage_form(request, form, *, title, submit, save, success, shown_at):
    """The create pages' one shape: the form, saved once through the service ``save()``
    however often it is sent, then shown at ``shown_at(created)`` (given None when what
    the first POST saved has gone since)."""
    if not permissions.can_manage_commissioners(request.user):
        raise Http404("No such page.")
    return create_page(
        request, form, title=title, submit=submit, save=save, saved=success, shown_at=shown_at
    )


@require_http_methods(["GET", "POST"])
def commissioner_new(request):
    require_commissioning(request.user)
    form = CommissionerForm(request.POST or None)
    return _manage_form(
        request,
        form,
        title="Add a commissioner",
        submit="Add commissioner",
        save=lambda: services.commissioner_create(actor=request.user, **form.service_data()),
        success=lambda c: f"{c} was added.",
        shown_at=lambda c: c.get_absolute_url() if c else reverse("commissioning:commissioners"),
    )


@require_http_methods(["GET", "POST"])
def contact_create(request, pk: int):
    commissioner = selectors.commissioner_get(user=request.user, pk=pk)
    form = ContactForm(request.POST or None)
    return _manage_form(
        request,
        form,
        title=f"Add a contact at {commissioner}",
        submit="Add contact",
        save=lambda: services.contact_add(
            actor=request.user, commissioner=commissioner, **form.service_data()
        ),
        success=lambda c: f"{c.name} was added.",
        shown_at=lambda c: commissioner.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def priority_new(request, pk: int):
    commissioner = selectors.commissioner_get(user=request.user, pk=pk)
    form = PriorityForm(request.POST or None)
    return _manage_form(
        request,
        form,
        title=f"Add a priority for {commissioner}",
        submit="Add priority",
        save=lambda: services.priority_create(
            actor=request.user, commissioner=commissioner, **form.service_data()
        ),
        success=lambda p: f"The priority “{p.title}” was added.",
        shown_at=lambda p: p.get_absolute_url() if p else commissioner.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def window_create(request, pk: int):
    priority = selectors.priority_get(user=request.user, pk=pk)
    form = WindowForm(request.POST or None)
    return _manage_form(
        request,
        form,
        title=f"Add a procurement window to “{priority.title}”",
        submit="Add window",
        save=lambda: services.window_add(
            actor=request.user, priority=priority, **form.service_data()
        ),
        success=lambda w: f"Window added: {w}.",
        shown_at=lambda w: priority.get_absolute_url(),
    )
