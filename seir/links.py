"""``reverse()`` for the links a page draws by the dozen: each route's URL is worked out
once per process and filled in with the record's numbers after that.

Django's ``reverse`` matches a route's every pattern against its arguments on each call
(~20–40 µs); a venture's page builds some twenty links to its own actions and tabs. A
route with whole-number arguments (primary keys) gives the same URL with the numbers
written in, so ``link`` reverses it once with stand-in numbers and keeps the URL as a
format string. A route with no arguments, or with short lower-case codes (the dashboard's
seventy links to its rows lists, ``progress:rows``), is reversed once per code and kept.
Anything else (text, a negative number, keyword arguments) goes to ``reverse`` as
before. The kept format is keyed on what ``reverse`` itself reads:
the URLconf (settings or the request's own) and the script prefix.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Stand-ins for the arguments: numbers no route writes beside them.
_MARKERS = ("2147483647", "2147483646", "2147483645")

# {(name, number of arguments, URLconf, script prefix): format string, or None when the
# route's URL does not hold each stand-in exactly once (then reverse() each time)}
_formats: dict[tuple, str | None] = {}

# A route with no arguments, or with short codes the program writes (a kind of row, a
# tab): {(name, args, URLconf, script prefix): its URL}, up to _CODES_KEPT of them (past
# that, reverse() each time: the codes a page sends are the program's own, a few dozen).
_CODE = re.compile(r"[a-z0-9_-]{1,40}")
_CODES_KEPT = 1000
_codes: dict[tuple, str] = {}


def link(name: str, *args) -> str:
    """``reverse(name, args=args)``."""
    if all(_code(arg) for arg in args):  # none, or codes such as "funnel_counting"
        key = (name, args, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
        try:
            return _codes[key]
        except KeyError:
            pass
        found = reverse(name, args=args)  # NoReverseMatch: nothing kept
        if len(_codes) < _CODES_KEPT:
            _codes[key] = found
        return found
    if len(args) > len(_MARKERS) or not all(_whole(arg) for arg in args):
        return reverse(name, args=args)
    found = _found(name, len(args))
    if found is None:
        return reverse(name, args=args)
    return found.format(*args)


def _code(value) -> bool:
    return type(value) is str and _CODE.fullmatch(value) is not None


def url_for_each(name: str) -> Callable[[int], str]:
    """``pk -> url`` for a route with one whole-number argument, looked up once for a
    page's rows or cards."""
    found = _found(name, 1)
    if found is None:
        return lambda pk: reverse(name, args=[pk])
    return lambda pk: found.format(pk) if _whole(pk) else reverse(name, args=[pk])


def _whole(value) -> bool:
    return type(value) is int and value >= 0


def _found(name: str, count: int) -> str | None:
    key = (name, count, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    try:
        return _formats[key]
    except KeyError:
        found = _formats[key] = _format(name, count)
        return found


def _format(name: str, count: int) -> str | None:
    markers = _MARKERS[:count]
    url = reverse(name, args=[int(marker) for marker in markers])
    if any(url.count(marker) != 1 for marker in markers):
        return None
    template = url.replace("{", "{{").replace("}", "}}")
    for index, marker in enumerate(markers):
        template = template.replace(marker, f"{{{index}}}")
    return template
