"""Numbers read from a query string or a form, bounded in one place.

A page number, an offset or a day count typed into the address bar can be negative,
huge (past what the database's integer columns hold) or not a number at all: each one
becomes a number in range, never a 500. An id (``bounded_pk``) is either a real id's
shape or none at all.
"""

from __future__ import annotations

from collections.abc import Mapping

# PostgreSQL's integer column holds up to 2**31 - 1; a bigger value in a query is an error.
DB_INT_MAX = 2**31 - 1


def bounded_int(value, *, default: int, minimum: int = 0, maximum: int = DB_INT_MAX) -> int:
    """``value`` as an int within ``minimum..maximum``; ``default`` if it is not a number."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return max(minimum, min(maximum, number))


def query_int(
    params: Mapping, name: str, *, default: int, minimum: int = 0, maximum: int = DB_INT_MAX
) -> int:
    """A bounded int from ``request.GET`` (or any mapping); ``default`` when absent."""
    return bounded_int(params.get(name, default), default=default, minimum=minimum, maximum=maximum)


# An id is written 1..n; a longer string than this is out of range however it reads.
_PK_DIGITS = len(str(DB_INT_MAX))


def bounded_pk(value) -> int | None:
    """A primary key from a query string or a form as an int, or None when it is absent,
    not plain ASCII digits, zero, or past ``DB_INT_MAX``.

    Strict on purpose: ``int()`` also reads "+5", "5_0" and "٣", and raises on "²" (a
    digit to ``str.isdigit``) and on a string of thousands of digits. Callers treat None
    as "no such row" (a query-string id) or as the form's "Select a valid choice."."""
    if value is None:
        return None
    text = str(value).strip().lstrip("0") or "0"
    if not (text.isascii() and text.isdigit()) or len(text) > _PK_DIGITS:
        return None
    number = int(text)
    return number if 0 < number <= DB_INT_MAX else None
