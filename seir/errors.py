"""The server error page, and a clear 503 while the database is away.

Django calls ``server_error`` (``handler500``) for any exception nothing else handled,
wherever it was raised: in a view, or in a middleware such as the session's, which reads
the database before any view runs. When that exception is the database being unreachable
(restarting, failing over, out of connections) the person gets a 503 "back in a moment"
page with ``Retry-After`` instead of a 500: nothing is wrong with what they did, and
nothing they saved before was lost. The pages are rendered without the request's context
processors, which would read the database again.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# Seconds a client is asked to wait before trying again (a restart takes a few).
RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable(error: BaseException | None) -> bool:
    """Is ``error`` (or what caused it) the database failing to answer?"""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, DATABASE_ERRORS):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def unavailable_response() -> HttpResponse:
    response = HttpResponse(
        loader.render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS}), status=503
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: the 503 page when the database is away, else the 500 page."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response()
    return HttpResponseServerError(loader.render_to_string(template_name))
