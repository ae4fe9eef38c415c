"""Django's ``conditional_escape``, for the code that draws many values a page.

The same text: a safe string (anything with ``__html__``) as it is, a lazy translation
translated, anything else through ``html.escape`` (which is what Django's ``escape``
calls), the result marked safe. Django's own goes through ``keep_lazy``'s wrapper on
every call, which checks every argument for a lazy string; on a page that draws a few
hundred values (the Jinja2 fragments, ``plain_form``) that check cost more than the
escaping. ``tests/test_escaping.py`` holds it to Django's output.
"""

from __future__ import annotations

import html

from django.utils.functional import Promise
from django.utils.safestring import SafeString


def escaped(value) -> SafeString:
    """``conditional_escape(value)``."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return SafeString(html.escape(str(value)))
