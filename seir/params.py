"""Numbers read from a query string or a form, bounded in one place.

A page number, an offset or a day count typed into the address bar can be negative,
huge (past what the database's integer columns hold) or not a number at all: each one
becomes a number in range, never a 500.
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
