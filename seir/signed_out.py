"""The answers to a form sent in place (htmx) that the person's session can no longer
take: they were signed out, or signed in again elsewhere since the page was drawn."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import patch_cache_control

SIGNED_OUT = "You have been signed out, so nothing was saved."


def signed_out_in_place(request) -> HttpResponse | None:
    """For an htmx request: a 401 that htmx does not swap, so the page keeps what was
    typed and says what happened (static/js/seir.js). A redirect to the sign-in page
    would be followed by the browser and swapped in place of the form, losing it (a plan
    section's text). None for any other request, which goes to sign in as before."""
    if not request.headers.get("HX-Request"):
        return None
    response = HttpResponse(SIGNED_OUT, status=401, content_type="text/plain; charset=utf-8")
    patch_cache_control(response, private=True, no_store=True)
    return response


def csrf_failure(request, reason: str = ""):
    """``CSRF_FAILURE_VIEW``. A form sent in place from a page drawn before its person
    last signed in (which rotates the token) is answered with ``SEiR-Stale-Token``, so
    the page takes the new token and keeps what was typed (static/js/seir.js) instead of
    asking for a reload that would lose it. Anything else: Django's CSRF page."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(
            "This page is older than your last sign-in, so nothing was saved.",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
        response["SEiR-Stale-Token"] = "1"
        patch_cache_control(response, private=True, no_store=True)
        return response
    from django.views.csrf import csrf_failure as django_csrf_failure

    return django_csrf_failure(request, reason=reason)
