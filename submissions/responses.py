"""How a view answers a second POST of a create form it already saved."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from .services import ALREADY_SAVED, submission_find


def already_saved(request, target: str):
    """The answer to a second POST of a form that was already saved: say so and show
    what the first one saved (``target``), creating nothing."""
    messages.info(request, ALREADY_SAVED)
    return redirect(target)


def seen_before(request, *, prefix: str = ""):
    """The earlier submission of this very form (its token), or None; ``prefix`` is
    the form's, when it has one."""
    return submission_find(actor=request.user, data=request.POST, prefix=prefix)
