"""The directory: people and organisations, duplicates, merges, CSV in and out."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from seir.refusals import Refused
from submissions.responses import seen_before
from submissions.services import AlreadySubmitted, submission_save_once
from submissions.views import save_once_page, show_on_form

from .. import selectors, services
from ..forms import OrganisationCreateForm, PersonCreateForm
from ..permissions import require_manage_scouting
from .common import csv_response, list_context
from .edits import to_the_kept_record

PERSON_CSV = [
    "id",
    "name",
    "organisation",
    "job_title",
    "email",
    "phone",
    "tags",
    "consent_to_contact",
    "consent_date",
    "meetings",
]
ORGANISATION_CSV = ["id", "name", "sector", "area", "website", "people", "meetings"]


@require_GET
def person_list(request):
    return render(
        request,
        "scouting/person_list.html",
        list_context(request, selectors.person_list(user=request.user, params=request.GET)),
    )


@require_GET
def person_export_csv(request):
    people = selectors.person_list(user=request.user, params=request.GET)
    rows = (
        [
            p.pk,
            p.name,
            p.organisation.name if p.organisation else "",
            p.job_title,
            p.email,
            p.phone,
            "; ".join(t.name for t in p.tags.all()),
            "yes" if p.consent_to_contact else "no",
            p.consent_date or "",
            p.meeting_count,
        ]
        for p in people.qs.iterator(chunk_size=500)
    )
    return csv_response("people", PERSON_CSV, rows)


@require_http_methods(["GET", "POST"])
def person_new(request):
    require_manage_scouting(request.user)
    programmes = list(selectors.programmes_for(user=request.user))
    form = PersonCreateForm(request.POST or None, programmes=programmes)
    duplicates = []

    def add():
        data = form.service_data()
        # Looked for after a form sent again is answered (the person it added would
        # read as a duplicate of themselves).
        try:
            return services.person_add(actor=request.user, **data)
        except services.PossibleDuplicates as possible:
            duplicates.extend(possible.found)
            raise

    return save_once_page(
        request,
        form,
        template="scouting/person_form.html",
        context={"duplicates": duplicates, "title": "Add a person"},
        save=add,
        shown_at=lambda person: (
            reverse("scouting:person_detail", args=[person.pk])
            if person is not None
            else reverse("scouting:person_list")
        ),
        saved=lambda person: f"{person} was added to the directory.",
    )


@require_GET
def person_detail(request, pk: int):
    try:
        person = selectors.person_get(user=request.user, pk=pk)
    except Http404:
        return to_the_kept_record(request, "person", pk, "scouting:person_detail")
    duplicates = (
        []
        if person.is_erased
        else services.person_duplicates(
            programme_id=person.programme_id,
            name=person.name,
            email=person.email,
            organisation_id=person.organisation_id,
            exclude_pk=person.pk,
        )
    )
    if not person.is_erased:
        listed = {p.pk for p, _ in duplicates}
        duplicates += [
            (p, "same name")
            for p in selectors.people_with_the_same_name(person)
            if p.pk not in listed
        ]
    if duplicates:
        different = selectors.marked_different("person", person.pk)
        duplicates = [(p, why) for p, why in duplicates if p.pk not in different]
    return render(
        request,
        "scouting/person_detail.html",
        {
            "person": person,
            "duplicates": duplicates,
            "merges": selectors.merge_records("person", person.pk),
            **selectors.person_links(person=person),
        },
    )


@require_POST
def person_data_export(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    data = services.person_export(actor=request.user, person=person)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response


@require_http_methods(["GET", "POST"])
def person_erase_page(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.person_erase(actor=request.user, person=person)
        except services.ScoutingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                "Their details were erased. Meetings and ideas still count them, anonymously.",
            )
        return redirect("scouting:person_detail", pk=pk)
    return render(request, "scouting/person_erase.html", {"person": person})


@require_GET
def person_search(request):
    """htmx: people matching what is typed, to add as attendees."""
    people = selectors.person_search(user=request.user, query=request.GET.get("q", ""))
    return render(
        request,
        "scouting/partials/person_results.html",
        {"people": people, "q": request.GET.get("q", "").strip()[:100]},
    )


@require_POST
def person_quick_add(request):
    """htmx: add a new person from the meeting form without leaving it.

    The box saves once per token (``new-submission_token``): sent again (a double click,
    a request resent, two at once), it adds no one and answers as the first did, with
    the person it added, whom the meeting form then chooses. An answer that added
    someone brings the box a fresh token for the next person.
    """
    require_manage_scouting(request.user)
    earlier = seen_before(request, prefix="new")
    if earlier is not None:
        return _quick_add_result(request, person=earlier.target, added=True)
    programmes = list(selectors.programmes_for(user=request.user))
    data = request.POST.copy()
    data["new-programme"] = request.POST.get("new-programme") or request.POST.get("programme", "")
    form = PersonCreateForm(data, programmes=programmes, prefix="new")
    duplicates: list = []

    def add():
        values = form.service_data()
        # Looked for once the token is taken, so a box sent again while the first was
        # saving waits for it and is answered as it was, not offered its own person as
        # a possible duplicate. Adding anyway sends different_person.
        keys = ("programme", "name", "organisation", "job_title", "email", "different_person")
        try:
            return services.person_add(actor=request.user, **{k: values[k] for k in keys})
        except services.PossibleDuplicates as possible:
            duplicates.extend(possible.found)
            raise _OfferDuplicates from None

    if form.is_valid():
        try:
            person = submission_save_once(actor=request.user, token=form.submission_token, save=add)
        except AlreadySubmitted as done:
            return _quick_add_result(request, person=done.target, added=True)
        except _OfferDuplicates:
            pass
        except (ValidationError, Refused) as error:
            duplicates.clear()
            show_on_form(form, error)
        else:
            return _quick_add_result(request, person=person, added=True)
    return _quick_add_result(request, form=form, duplicates=duplicates)


class _OfferDuplicates(Exception):
    """The quick-add box's person may be one already listed: nothing is saved, and the
    possible duplicates are offered instead."""


def _quick_add_result(request, *, person=None, added=False, form=None, duplicates=()):
    """The box's answer: the person added (``added``; None if their record has gone
    since), else the possible duplicates, else the form's errors."""
    return render(
        request,
        "scouting/partials/quick_add_result.html",
        {"person": person, "added": added, "form": form, "duplicates": duplicates},
    )


# --- organisations ---------------------------------------------------------------------


@require_GET
def organisation_list(request):
    return render(
        request,
        "scouting/organisation_list.html",
        list_context(request, selectors.organisation_list(user=request.user, params=request.GET)),
    )


@require_GET
def organisation_export_csv(request):
    organisations = selectors.organisation_list(user=request.user, params=request.GET)
    rows = (
        [o.pk, o.name, o.get_sector_display(), o.area, o.website, o.people_count, o.meeting_count]
        for o in organisations.qs.iterator(chunk_size=500)
    )
    return csv_response("organisations", ORGANISATION_CSV, rows)


@require_http_methods(["GET", "POST"])
def organisation_new(request):
    require_manage_scouting(request.user)
    form = OrganisationCreateForm(
        request.POST or None, programmes=list(selectors.programmes_for(user=request.user))
    )

    return save_once_page(
        request,
        form,
        template="scouting/organisation_form.html",
        context={"title": "Add an organisation"},
        save=lambda: services.organisation_create(actor=request.user, **form.service_data()),
        shown_at=lambda organisation: (
            reverse("scouting:organisation_detail", args=[organisation.pk])
            if organisation is not None
            else reverse("scouting:organisation_list")
        ),
        saved=lambda organisation: f"{organisation} was added.",
    )


@require_GET
def organisation_detail(request, pk: int):
    try:
        organisation = selectors.organisation_get(user=request.user, pk=pk)
    except Http404:
        return to_the_kept_record(request, "organisation", pk, "scouting:organisation_detail")
    similar = selectors.organisation_similar(organisation=organisation)
    if similar:
        different = selectors.marked_different("organisation", organisation.pk)
        similar = [o for o in similar if o.pk not in different]
    return render(
        request,
        "scouting/organisation_detail.html",
        {
            "organisation": organisation,
            "similar": similar,
            "merges": selectors.merge_records("organisation", organisation.pk),
            **selectors.organisation_links(organisation=organisation),
        },
    )
