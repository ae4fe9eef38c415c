"""Where to go after a form: the ``next`` a page sent, when it is a path on this site."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def next_path(request, candidate: str | None, default: str) -> str:
    """``candidate`` if it is an address on this site starting with ``/``, else ``default``.

    Django's host check alone lets a bare word through ("abc", "0", "home": a relative
    address), and ``redirect()`` reads a word as a URL pattern's name: an unknown one was
    a 500 (NoReverseMatch), a known one went to that page instead."""
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return default
