"""Telling a phone from a desktop on the server, for the few places the answer changes
where a person lands (never what they may do).

A phone is a browser that says so: the ``Sec-CH-UA-Mobile: ?1`` client hint (sent by
Chromium-based browsers on every request, no opt-in needed) or, for browsers without
client hints (Safari, Firefox), a User-Agent containing "Mobi", the marker MDN
recommends (iPhone and Android phones carry it; iPads and Android tablets do not, and
get the desktop answer, which suits their screens). A response that depends on this
must vary on both headers (``vary_on_device``).
"""

from __future__ import annotations

from django.utils.cache import patch_vary_headers

DEVICE_HEADERS = ("Sec-CH-UA-Mobile", "User-Agent")


def is_phone(request) -> bool:
    if request.headers.get("Sec-CH-UA-Mobile", "").strip() == "?1":
        return True
    return "Mobi" in request.headers.get("User-Agent", "")


def vary_on_device(response):
    patch_vary_headers(response, DEVICE_HEADERS)
    return response
