"""Helpers the commissioning views share."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404

from seir.forms import apply_form_errors
from submissions.views import save_once_page

from .. import permissions
from ..forms import DATE_FIELDS
from ..services import CommissioningError


def require_commissioning(user) -> None:
    """Programme staff and managers only; everyone else (commissioners too) gets a 404."""
    if not permissions.can_use_commissioning(user):
        raise Http404("No such page.")


def apply_refusal(form, error: Exception) -> None:
    """Turn a service's refusal into errors on the form (beside the field where it names one)."""
    if isinstance(error, CommissioningError):
        form.add_error(None, error.message)
    elif isinstance(error, ValidationError):
        if hasattr(error, "error_dict") and "proposed_dates" in error.error_dict:
            # The service names the meeting dates as one; the form has an input per date.
            named = dict(error.error_dict)
            dates = named.pop("proposed_dates")
            if DATE_FIELDS[0] in form.fields:
                named[DATE_FIELDS[0]] = dates
            else:
                named[NON_FIELD_ERRORS] = dates
            error = ValidationError(named)
        apply_form_errors(form, error)
    else:  # pragma: no cover - callers only pass the two kinds above
        raise error


REFUSALS = (CommissioningError, ValidationError)


def create_page(request, form, *, title, submit, save, saved, shown_at, venture=None):
    """The create pages' one shape: the form (in the venture's frame when ``venture`` is
    given); its POST saved once through the service ``save()`` however often it is sent,
    then shown at ``shown_at(created)`` (given None when what the first POST saved has
    gone since); a refusal draws the form again with what was typed (400)."""

    return save_once_page(
        request,
        form,
        template="commissioning/form.html",
        context={"title": title, "submit": submit, "venture": venture},
        save=save,
        shown_at=shown_at,
        saved=saved,
    )


def redraw_against(request, form, error, record, *, drawn: bool) -> None:
    """After a refusal because ``record`` moved on since the page was drawn (``StaleStep``,
    already on the form through ``apply_refusal``): redraw the form against the record as
    it is now, its current step or status in the hidden field and what was typed kept, so
    sending it again can succeed. When the page will not draw the form any more (``drawn``
    false: nothing is left to choose), the refusal is told as a message instead."""
    form.rebase(record)
    if not drawn:
        messages.error(request, error.message)
