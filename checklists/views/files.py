"""Evidence: uploading files, adding links, and the one view that sends a file."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.views.decorators.http import require_GET, require_POST

from files.responses import file_download_response
from seir.forms import apply_form_errors

from .. import selectors, services
from ..forms import LinkForm, UploadForm
from ..models import EvidenceKind
from .common import done, item_for
from .pages import render_item


@require_POST
def evidence_upload(request, item_id: int):
    item, access, access_checklist = item_for(request, item_id, need="work")
    form = UploadForm(request.POST, request.FILES, item=item)
    if form.is_valid():
        try:
            evidence = services.evidence_add_file(
                actor=request.user,
                item=item,
                upload=form.cleaned_data["file"],
                replaces=form.cleaned_data["replaces"],
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        except services.ChecklistError as error:
            form.add_error(None, error.message)
        else:
            return done(request, item, f"“{evidence.original_name}” was added as evidence.")
    item.refresh_from_db()
    return render_item(request, item, access, access_checklist, upload_form=form)


@require_POST
def evidence_link(request, item_id: int):
    item, access, access_checklist = item_for(request, item_id, need="work")
    form = LinkForm(request.POST, item=item)
    if form.is_valid():
        try:
            services.evidence_add_link(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            apply_form_errors(form, error)
        except services.ChecklistError as error:
            form.add_error(None, error.message)
        else:
            return done(request, item, "The link was added as evidence.")
    item.refresh_from_db()
    return render_item(request, item, access, access_checklist, link_form=form)


@require_GET
def evidence_download(request, evidence_id: int):
    """The only way to a stored file: the team and staff only; 404 for everyone else."""
    evidence = selectors.evidence_get(user=request.user, pk=evidence_id)
    if evidence.kind != EvidenceKind.FILE:
        from django.http import Http404

        raise Http404("That evidence is a link, not a file.")
    return file_download_response(
        name=evidence.file.name, filename=evidence.original_name, content_type=evidence.content_type
    )
