"""Helpers the commissioning views share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404

from seir.forms import apply_form_errors

from .. import permissions
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
        apply_form_errors(form, error)
    else:  # pragma: no cover - callers only pass the two kinds above
        raise error


REFUSALS = (CommissioningError, ValidationError)


def bounded_pk(value) -> int | None:
    """A primary key from the query string, or None when absent or out of range."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None
