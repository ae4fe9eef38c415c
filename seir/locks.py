"""Transaction-scoped locks on a name and a number, where a write has no row to lock:
the writes that recompute summary rows (``checklists.tallies``,
``commissioning.tallies``, ``scouting.tallies``, ``ventures.targets``), and an
invitation opening an account for an address (``invitations.services``).

Each of those writes deletes a programme's rows for some days and inserts them again,
counted from what they summarise. Under PostgreSQL's READ COMMITTED two transactions
doing so for the same programme at once would each count without the other's
uncommitted rows, and the second's inserts would either break a unique constraint (an
error page) or sit beside the first's (every figure counted twice). Holding
``hold(name, programme_id)`` until the transaction ends makes the second wait for the
first to commit; its next statement then counts both.

PostgreSQL: ``pg_advisory_xact_lock``, taken in ascending order of the numbers so that
two writers never wait on each other in a circle, and released at commit or rollback.
SQLite: nothing to do, since ``transaction_mode = IMMEDIATE`` (settings) already lets
one writing transaction at a time.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from django.db import connection


def _int4(value: int) -> int:
    """``value`` as a signed 32-bit integer (the two-key advisory lock's type)."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def hold(name: str, numbers: Iterable[int | None]) -> None:
    """Lock (``name``, each number) until the current transaction ends; call it inside
    ``transaction.atomic``. None is skipped."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({_int4(n) for n in numbers if n is not None})
    if not keys:
        return
    space = _int4(zlib.crc32(name.encode()))
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [space, key])
