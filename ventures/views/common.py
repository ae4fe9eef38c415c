"""Helpers the view modules share."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from seir.forms import apply_form_errors
from seir.redirects import next_path
from seir.refusals import NO_PERMISSION, Refused

from .. import selectors
from ..permissions import venture_perms

# What a service raises to refuse an action: shown to the person, never a 500.
REFUSALS = (ValidationError, Refused, PermissionDenied)


def refusal_text(error: Exception) -> str:
    if isinstance(error, Refused):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or NO_PERMISSION


def show_refusal(request, error: Exception, *, form=None, prefix: str = "") -> None:
    """Show a service's refusal: beside the fields it names (or at the top of ``form``)
    when there is a form to show again, else as an error message on the next page."""
    if form is not None:
        if isinstance(error, ValidationError):
            apply_form_errors(form, error)
        else:
            form.add_error(None, refusal_text(error))
        return
    messages.error(request, prefix + refusal_text(error))


def next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    return next_path(request, candidate, default)


def visible_venture(request, pk: int, *, allowed=None, refusal: str = ""):
    """The venture (404 unless visible), its access, and its permissions; refuses with
    403 when ``allowed(perms)`` says the person may read it but not do this."""
    venture, access = selectors.venture_get(user=request.user, pk=pk)
    perms = venture_perms(request.user, venture, access)
    if allowed is not None and not allowed(perms):
        raise PermissionDenied(refusal or "You can read this venture but not do that.")
    return venture, access, perms
