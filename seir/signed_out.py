"""The answer to a form sent in place (htmx) by someone no longer signed in."""

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
