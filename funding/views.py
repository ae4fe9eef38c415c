"""Thin views for funding: load with permissions applied, validate, call one service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import programmes_read_by, reads_programme
from files.responses import file_download_response
from seir.forms import apply_form_errors
from submissions.views import save_once
from ventures import selectors as venture_selectors
from ventures.tabs import venture_page_context

from . import permissions, selectors, services
from .forms import ApplicationCreateForm, ApplicationForm, DocumentForm, StatusForm

PAGE_SIZE = 25


def _tab(
    request, venture, access, *, form=None, failed_upload=None, failed_status=None, status=200
):
    """The funding tab. A refused form (a new application, a document, a status change)
    is passed back bound, so its errors show beside its fields with what was typed."""
    return render(
        request,
        "funding/venture_funding.html",
        _tab_context(
            request,
            venture,
            access,
            form=form,
            failed_upload=failed_upload,
            failed_status=failed_status,
        ),
        status=status,
    )


def _tab_context(
    request, venture, access, *, form=None, failed_upload=None, failed_status=None
) -> dict:
    applications = selectors.application_list_for_venture(venture=venture)
    can_read_documents = permissions.can_read_documents(request.user, venture)
    for application in applications:
        if can_read_documents and permissions.can_edit_application(request.user, application):
            if failed_upload is not None and failed_upload[0] == application.pk:
                application.document_form = failed_upload[1]
            else:
                application.document_form = DocumentForm(prefix=f"d{application.pk}")
        application.next_statuses = permissions.next_statuses(request.user, application)
        if failed_status is not None and failed_status[0] == application.pk:
            # Shown even if no move is left (it changed meanwhile): the error says why.
            application.status_form = failed_status[1]
        elif application.next_statuses:
            application.status_form = StatusForm(
                application=application,
                statuses=application.next_statuses,
                prefix=f"a{application.pk}",
            )
    can_add = permissions.can_add_application(request.user, venture)
    if form is None and can_add:
        form = ApplicationCreateForm()
    return {
        **venture_page_context(request, venture, access, tab="funding"),
        "applications": applications,
        "totals": selectors.funding_totals_of(applications=applications),
        "form": form,
        "can_add": can_add,
        "can_read_documents": can_read_documents,
    }


@require_GET
def venture_funding(request, pk: int):
    venture, access = _venture(request, pk)
    return _tab(request, venture, access)


def _venture(request, pk: int):
    """The venture, 404 unless the person may read its funding (a commissioner's
    read-only grant stops at the profile)."""
    venture, access = venture_selectors.venture_get(user=request.user, pk=pk)
    if not permissions.can_view_funding(request.user, venture):
        raise Http404("No such venture.")
    return venture, access


@require_POST
def application_add(request, pk: int):
    venture, access = _venture(request, pk)
    if not permissions.can_add_application(request.user, venture):
        raise PermissionDenied("Only the venture's team and its SEiR can add applications.")
    form = ApplicationCreateForm(request.POST)
    return save_once(
        request,
        form,
        save=lambda: services.application_create(
            actor=request.user, venture=venture, **form.application_data()
        ),
        shown_at=lambda application: _application_url(venture, application),
        saved=lambda application: f"Application to {application.fund.name} added.",
        not_saved="The application was not added: see the form below.",
        refused=lambda: _tab(request, venture, access, form=form, status=400),
    )


def _application_url(venture, application) -> str:
    """Where an added application is shown (the tab, if it has gone since)."""
    url = reverse("funding:venture", args=[venture.pk])
    return url + f"#app-{application.pk}" if application is not None else url


def _application(request, pk: int):
    application = selectors.application_get(user=request.user, pk=pk)
    if application is None or not permissions.can_view_funding(request.user, application.venture):
        raise Http404("No such application.")
    return application


@require_http_methods(["GET", "POST"])
def application_edit(request, pk: int):
    application = _application(request, pk)
    if not permissions.can_edit_application(request.user, application):
        raise PermissionDenied("You can read this application but not change it.")
    terms_editable = permissions.can_edit_terms(request.user, application)
    form = ApplicationForm(
        request.POST or None, instance=application, terms_editable=terms_editable
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.application_update(
                actor=request.user,
                application=application,
                data=form.changed_values(),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        except services.ApplicationConflict as error:
            form.add_error(None, error.message)
            data = form.data.copy()
            data["version"] = error.current.version
            form.data = data
        except services.FundingError as error:
            form.add_error(None, error.message)
        else:
            if changed:
                messages.success(request, "Application saved.")
            else:
                messages.info(request, "Nothing had changed, so nothing was saved.")
            return redirect(
                reverse("funding:venture", args=[application.venture_id]) + f"#app-{application.pk}"
            )
    return render(
        request,
        "funding/application_form.html",
        {"form": form, "application": application, "venture": application.venture},
        status=400 if form.errors else 200,
    )


@require_POST
def application_status(request, pk: int):
    application = _application(request, pk)
    statuses = permissions.next_statuses(request.user, application)
    if not permissions.can_edit_application(request.user, application):
        raise PermissionDenied("You can read this application but not change it.")
    form = StatusForm(
        request.POST, application=application, statuses=statuses, prefix=f"a{application.pk}"
    )
    if form.is_valid():
        try:
            services.application_set_status(
                actor=request.user,
                application=application,
                to_status=form.cleaned_data["to_status"],
                on=form.cleaned_data["on"],
                amount_awarded=form.cleaned_data["amount_awarded"],
                note=form.cleaned_data["note"],
                expected_status=form.cleaned_data["expected_status"] or None,
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        except services.FundingError as error:
            form.add_error(None, error.message)
            application.refresh_from_db(fields=["status"])
            form.rebase_on(application)
        else:
            messages.success(
                request,
                f"The application to {application.fund.name} is now "
                f"{application.get_status_display().lower()}.",
            )
            return redirect(
                reverse("funding:venture", args=[application.venture_id]) + f"#app-{application.pk}"
            )
    messages.error(request, "The status was not changed: see the application below.")
    venture, access = _venture(request, application.venture_id)
    return _tab(request, venture, access, failed_status=(application.pk, form), status=400)


@require_GET
def programme_funding(request):
    """Money applied for and awarded across a programme, by fund and type: for those who
    read a programme (its staff and its PCT managers)."""
    if not reads_programme(request.user):
        raise Http404("No programme funding to show.")
    return render(request, "funding/programme_funding.html", _programme_context(request))


def _programme_context(request) -> dict:
    programmes = list(programmes_read_by(request.user))
    if not programmes:  # an administrator, before any programme exists
        raise Http404("No programme funding to show.")
    wanted = request.GET.get("programme", "")
    programme = next((p for p in programmes if str(p.pk) == wanted), programmes[0])
    application_filter = selectors.application_list_for_programme(
        user=request.user, programme=programme, filters=request.GET
    )
    page = Paginator(application_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "programmes": programmes,
        "programme": programme,
        "summary": selectors.funding_summary_for_programme(user=request.user, programme=programme),
        "filter": application_filter,
        "page": page,
        "query": query.urlencode(),
    }


@require_POST
def document_upload(request, pk: int):
    application = _application(request, pk)
    if not permissions.can_edit_application(request.user, application):
        raise PermissionDenied("You cannot add documents to this application.")
    form = DocumentForm(request.POST, request.FILES, prefix=f"d{application.pk}")
    if form.is_valid():
        try:
            document = services.document_add(
                actor=request.user, application=application, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"“{document}” attached.")
            return redirect(
                reverse("funding:venture", args=[application.venture_id]) + f"#app-{application.pk}"
            )
    messages.error(request, "The document was not attached: see the application below.")
    venture, access = _venture(request, application.venture_id)
    return _tab(request, venture, access, failed_upload=(application.pk, form), status=400)


@require_GET
def document_download(request, pk: int):
    document = selectors.document_get(user=request.user, pk=pk)
    if document is None or not permissions.can_read_documents(
        request.user, document.application.venture
    ):
        raise Http404("No such document.")
    return file_download_response(
        name=document.file.name, filename=document.original_name, content_type=document.content_type
    )
