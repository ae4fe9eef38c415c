"""The server error page, a clear 503 while the database is away, and a clear 409 when
two people's changes met at the same moment.

Django calls ``server_error`` (``handler500``) for any exception nothing else handled,
wherever it was raised: in a view, or in a middleware such as the session's, which reads
the database before any view runs. When that exception is the database being unreachable
(restarting, failing over, out of connections) the person gets a 503 "back in a moment"
page with ``Retry-After`` instead of a 500: nothing is wrong with what they did, and
nothing they saved before was lost. The pages are rendered without the request's context
processors, which would read the database again.

When the exception is PostgreSQL ending a transaction because it met another at the same
moment (a deadlock, a serialisation failure) or, at commit, a row it points to having
been removed by another in the meantime (foreign keys are checked at commit), the person
gets a 409 "changed at the same moment" page instead: nothing they sent was saved, and
sending it again after a reload is the fix. The writes that can meet this way lock in one
order (``seir.locks``) so that it stays rare; this is the net under what is left.
"""

from __future__ import annotations

import sys

from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# Seconds a client is asked to wait before trying again (a restart takes a few).
RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


# PostgreSQL's SQLSTATEs for a transaction ended by another one: deadlock detected,
# serialisation failure, and a foreign key whose row another transaction removed.
CONFLICT_CODES = frozenset({"40P01", "40001", "23503"})
# SQLite's words for the last (it has no SQLSTATE).
SQLITE_FOREIGN_KEY = "FOREIGN KEY constraint failed"


def _chain(error: BaseException | None):
    seen = 0
    while error is not None and seen < 5:
        yield error
        error, seen = error.__cause__ or error.__context__, seen + 1


def database_unavailable(error: BaseException | None) -> bool:
    """Is ``error`` (or what caused it) the database failing to answer?"""
    return any(isinstance(e, DATABASE_ERRORS) for e in _chain(error)) and not changed_meanwhile(
        error
    )


def changed_meanwhile(error: BaseException | None) -> bool:
    """Is ``error`` (or what caused it) the database ending this transaction because of
    another one at the same moment (``CONFLICT_CODES``)?"""
    for each in _chain(error):
        if getattr(each, "pgcode", None) in CONFLICT_CODES:
            return True
        if isinstance(each, IntegrityError) and SQLITE_FOREIGN_KEY in str(each):
            return True
    return False


# A unique key another transaction's committed row already holds: PostgreSQL's SQLSTATE,
# SQLite's words. Not in ``CONFLICT_CODES``: the person can be told which name or code is
# taken, beside what they typed (``seir.admin.UniqueClashShown``, the services' savepoints).
UNIQUE_CODE = "23505"
SQLITE_UNIQUE = "UNIQUE constraint failed"


def unique_violation(error: BaseException | None) -> bool:
    """Is ``error`` (or what caused it) a write refused by a unique key?"""
    for each in _chain(error):
        if getattr(each, "pgcode", None) == UNIQUE_CODE:
            return True
        if isinstance(each, IntegrityError) and SQLITE_UNIQUE in str(each):
            return True
    return False


def conflict_response() -> HttpResponse:
    response = HttpResponse(loader.render_to_string("409.html"), status=409)
    response["Cache-Control"] = "no-store"
    return response


def unavailable_response() -> HttpResponse:
    response = HttpResponse(
        loader.render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS}), status=503
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: the 409 page when another change met this one, the 503 page when
    the database is away, else the 500 page."""
    error = sys.exc_info()[1]
    if changed_meanwhile(error):
        return conflict_response()
    if database_unavailable(error):
        return unavailable_response()
    return HttpResponseServerError(loader.render_to_string(template_name))
