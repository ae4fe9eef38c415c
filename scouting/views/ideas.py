"""Ideas: list, page, edit, status changes and promotion to a venture."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from seir.forms import apply_form_errors
from submissions.responses import seen_before
from submissions.views import save_once_page
from ventures.forms import VentureCreateForm
from ventures.models import Origin

from .. import selectors, services
from ..forms import IdeaCreateForm, IdeaForm, IdeaStatusForm
from ..models import IDEA_STATUSES_PROMOTABLE, Sector
from ..permissions import require_manage_scouting
from .common import edited_meanwhile, list_context, lost_people_message

ORIGIN_BY_SECTOR = {
    Sector.PCT: Origin.NHS_STAFF,
    Sector.GP_PRACTICE: Origin.NHS_STAFF,
    Sector.HOSPITAL_TRUST: Origin.NHS_STAFF,
    Sector.LOCAL_AUTHORITY: Origin.LOCAL_AUTHORITY,
    Sector.THIRD_SECTOR: Origin.THIRD_SECTOR,
    Sector.COMMUNITY_GROUP: Origin.COMMUNITY,
}


@require_GET
def idea_list(request):
    return render(
        request,
        "scouting/idea_list.html",
        list_context(request, selectors.idea_list(user=request.user, params=request.GET)),
    )


@require_GET
def idea_detail(request, pk: int):
    return _render_idea(request, selectors.idea_get(user=request.user, pk=pk))


def _render_idea(request, idea, status_form=None):
    if status_form is None and idea.status not in ("promoted",):
        status_form = IdeaStatusForm(idea=idea)
    return render(
        request,
        "scouting/idea_detail.html",
        {
            "idea": idea,
            "status_form": status_form,
            "can_promote": idea.status in IDEA_STATUSES_PROMOTABLE and not idea.venture_id,
        },
        status=400 if status_form is not None and status_form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def idea_new(request):
    require_manage_scouting(request.user)
    form = IdeaCreateForm(
        request.POST or None, programmes=list(selectors.programmes_for(user=request.user))
    )
    proposers, lost = (
        selectors.people_picked(user=request.user, ids=request.POST.getlist("attendees"))
        if request.method == "POST"
        else ([], 0)
    )
    if lost and form.is_valid():
        form.add_error(None, lost_people_message(lost, "proposer"))

    # Sent twice (a double click, a resent page), the idea is added once: a second copy
    # would count twice in the scouting funnel.
    return save_once_page(
        request,
        form,
        template="scouting/idea_form.html",
        context={"attendees": proposers, "title": "Add an idea"},
        save=lambda: services.idea_create(
            actor=request.user, proposers=proposers, **form.service_data()
        ),
        shown_at=lambda idea: (
            reverse("scouting:idea_detail", args=[idea.pk])
            if idea is not None
            else reverse("scouting:idea_list")
        ),
        saved=lambda idea: f"Idea “{idea}” was added.",
    )


@require_http_methods(["GET", "POST"])
def idea_edit(request, pk: int):
    idea = selectors.idea_get(user=request.user, pk=pk)
    form = IdeaForm(request.POST or None, instance=idea)
    proposers, lost = (
        selectors.people_picked(user=request.user, ids=request.POST.getlist("attendees"))
        if request.method == "POST"
        else (list(idea.proposers.all()), 0)
    )
    if lost and form.is_valid():
        form.add_error(None, lost_people_message(lost, "proposer"))
    status = 200
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        changes["proposers"] = proposers
        try:
            changed = services.idea_update(
                actor=request.user, idea=idea, changes=changes, seen_at=form.seen_at()
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        except services.EditedMeanwhile as error:
            edited_meanwhile(form, error.current)
            status = 409
        else:
            messages.success(request, "Saved." if changed else "Nothing had changed.")
            return redirect("scouting:idea_detail", pk=pk)
    return render(
        request,
        "scouting/idea_form.html",
        {"form": form, "idea": idea, "attendees": proposers, "title": f"Edit {idea}"},
        status=status,
    )


@require_POST
def idea_status(request, pk: int):
    idea = selectors.idea_get(user=request.user, pk=pk)
    form = IdeaStatusForm(request.POST, idea=idea)
    if form.is_valid():
        try:
            services.idea_set_status(actor=request.user, idea=idea, **form.cleaned_data)
        except ValidationError as error:
            apply_form_errors(form, error)
        except services.ScoutingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The idea's status was changed.")
            return redirect("scouting:idea_detail", pk=pk)
    return _render_idea(request, idea, status_form=form)


def _initial(idea) -> dict:
    proposers = list(idea.proposers.all())
    sector = next((p.organisation.sector for p in proposers if p.organisation_id), None)
    return {
        "programme": idea.programme_id,
        "name": idea.title,
        "summary": idea.description,
        "need": idea.health_need,
        "origin": ORIGIN_BY_SECTOR.get(sector, Origin.OTHER) if sector else Origin.COMMUNITY,
        "area": next(
            (p.organisation.area for p in proposers if p.organisation_id and p.organisation.area),
            "",
        ),
    }


@require_http_methods(["GET", "POST"])
def idea_promote_page(request, pk: int):
    """The venture form, pre-filled from the idea; saving creates and links the venture."""
    idea = selectors.idea_get(user=request.user, pk=pk)
    promotable = idea.status in IDEA_STATUSES_PROMOTABLE and not idea.venture_id
    # The form sent again (a double click, a resent page) finds the idea promoted by its
    # first POST: that is answered below as "already saved", not refused here.
    if not promotable and (request.method != "POST" or seen_before(request) is None):
        messages.error(
            request, f"This idea is {idea.get_status_display().lower()}; it cannot be promoted."
        )
        return redirect("scouting:idea_detail", pk=pk)
    form = VentureCreateForm(request.POST or None, user=request.user, initial=_initial(idea))

    return save_once_page(
        request,
        form,
        template="scouting/idea_promote.html",
        context={"idea": idea},
        save=lambda: services.idea_promote(
            actor=request.user, idea=idea, venture_fields=form.venture_data()
        ),
        shown_at=lambda venture: (
            reverse("ventures:detail", args=[venture.pk])
            if venture is not None
            else reverse("scouting:idea_detail", args=[pk])
        ),
        saved=lambda venture: f"“{idea}” is now the venture {venture}.",
    )
