"""The save-once POST: the one shape of a view that creates something from a form.

Not views of this app (it has no pages): the helper every app's create views answer
through, so a double click, a resent page or two tabs save once, a refusal shows the
form again with what was typed, and a success says so and redirects, all in one way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from seir.forms import apply_form_errors
from seir.refusals import NO_PERMISSION, Refused

from .responses import already_saved
from .services import AlreadySubmitted, submission_find, submission_save_once

T = TypeVar("T")


def save_once(
    request: HttpRequest,
    form,
    *,
    save: Callable[[], T],
    shown_at: Callable[[T | None], str],
    saved: str | Callable[[T], str],
    refused: Callable[[], HttpResponse],
    not_saved: str = "",
    refusals: tuple[type[Exception], ...] = (),
    refusal_field: str | None = None,
    keep: bool = False,
) -> HttpResponse:
    """Answer the POST of a create form (a ``seir.forms.SubmissionTokenMixin`` form,
    bound to the POST) that must save once, however often it is sent.

    - **Sent before** (its token was saved: a double click, a resend after a lost
      connection, two tabs): ``submissions.responses.already_saved`` to
      ``shown_at(what the first POST saved)``, without validating again (a team member
      the first POST added is no longer a valid choice) and writing nothing.
    - **Valid**: ``save()`` (one service call) runs inside
      ``submission_save_once(actor=request.user, token=form.submission_token, ...)``, so
      the token is recorded in the service's transaction. Success adds ``saved`` (a text,
      or ``saved(obj)``) as a success message and redirects to ``shown_at(obj)``. A POST
      racing the first one and losing also answers as ``already_saved``.
    - **Refused** (the form is invalid, or the service raises ``ValidationError``, a
      ``seir.refusals.Refused`` (every app's refusal) or one of ``refusals``:
      ``PermissionDenied`` where the page shows it rather than answering 403): nothing
      is written and the token stays unused. A
      ``ValidationError`` goes beside the fields it names (``apply_form_errors``); any
      other refusal's message goes at ``refusal_field`` (above the form when None).
      ``not_saved``, if given, is added as an error message, and ``refused()`` answers:
      the page again with the bound form, its errors and what was typed.

    ``shown_at`` is where a saved thing is shown; it is given None when the first POST
    saved nothing it could name (or what it saved has gone since). ``keep`` keeps the
    token past ``TOKEN_KEEP``, for a form whose draft outlives its page (see
    ``submission_save_once``).
    """
    earlier = submission_find(actor=request.user, data=form.data, prefix=form.prefix or "")
    if earlier is not None:
        return already_saved(request, shown_at(earlier.target))
    if form.is_valid():
        try:
            obj = submission_save_once(
                actor=request.user, token=form.submission_token, save=save, keep=keep
            )
        except AlreadySubmitted as done:
            return already_saved(request, shown_at(done.target))
        except (ValidationError, Refused, *refusals) as error:
            show_on_form(form, error, field=refusal_field)
        else:
            messages.success(request, saved(obj) if callable(saved) else saved)
            return redirect(shown_at(obj))
    if not_saved:
        messages.error(request, not_saved)
    return refused()


def save_once_page(
    request: HttpRequest,
    form,
    *,
    template: str,
    context: dict,
    save: Callable[[], T],
    shown_at: Callable[[T | None], str],
    saved: str | Callable[[T], str],
) -> HttpResponse:
    """A create page whole: ``template`` with ``form`` (and ``context``) on a GET; its
    POST answered by ``save_once``, a refusal drawing the page again with the form's
    errors and what was typed (400). ``context`` is read when the page is drawn, so a
    value ``save`` fills in (a list of possible duplicates) appears beside the refusal."""

    def page(status: int = 200) -> HttpResponse:
        return render(request, template, {"form": form, **context}, status=status)

    if request.method != "POST":
        return page()
    return save_once(
        request,
        form,
        save=save,
        shown_at=shown_at,
        saved=saved,
        refused=lambda: page(status=400),
    )


def show_on_form(form, error: Exception, *, field: str | None = None) -> None:
    """A service's refusal on the form shown again: a ``ValidationError`` beside the
    fields it names, any other refusal's message at ``field`` (above the form if None)."""
    if isinstance(error, ValidationError):
        apply_form_errors(form, error)
    else:
        form.add_error(field, getattr(error, "message", "") or str(error) or NO_PERMISSION)
