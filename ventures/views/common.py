"""Helpers the view modules share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.http import url_has_allowed_host_and_scheme

from .. import selectors


def apply_form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


def next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def managed_venture(request, pk):
    venture, access = selectors.venture_get(request.user, pk)
    if not access.manage:
        # Visible but read-only (managers, team members): refuse plainly.
        raise PermissionDenied("Only the programme's SEiR can do that.")
    return venture, access
