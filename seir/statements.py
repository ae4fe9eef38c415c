"""PostgreSQL's own prepared statements, for the queries ``seir.prepared`` keeps.

``seir.prepared`` saves Django building and compiling a query's SQL on every call; the
database still parsed and planned that same SQL on every request, which was most of
PostgreSQL's share of a page (0.9 of 2 ms on the venture page, docs/performance.md
§24). So on PostgreSQL each kept query is also prepared on the server, once per
connection: its first run sends ``PREPARE seir_7 AS <its SQL>; EXECUTE seir_7 (...)``
(one round trip, one query as Django counts them), later runs only
``EXECUTE seir_7 (...)`` with the new values. The server keeps the statement's parse
tree and, once it has seen it run a few times, a plan it can reuse.

What can go wrong, and what happens:

- **A new connection** (Django reconnects after ``CONN_MAX_AGE`` or an error) has no
  statements: the names are kept per raw connection, so it prepares afresh.
- **A statement that failed as it was prepared**, or a run whose outcome is unknown,
  may or may not exist on the server: its name is never used again (a new one is
  prepared next time), and nothing is left to guess. ``PREPARE`` is not undone by a
  rollback, so a statement prepared in a transaction that later failed stays usable.
- **A schema change** (``migrate``) drops every statement this process prepared, on
  every connection, before and after it runs; PostgreSQL re-plans a statement whose
  tables changed by itself. A worker started before a deploy's migration that changed a
  column's type gets "cached plan must not change result type" for that statement,
  which is then forgotten (see the next point).
- **A statement the server no longer has** (``DISCARD ALL``, ``DEALLOCATE``): every name
  on that connection is forgotten. Outside a transaction the query is then prepared
  afresh and run again (so is a stale plan's); inside one the error stands, as any
  error there does, and the next request prepares afresh.
- **A transaction-pooling proxy** (PgBouncer in transaction mode) hands each
  transaction a different server connection, where the statements do not exist: turn
  this off there (the environment's ``SEIR_SERVER_PREPARED=false``; the queries then
  run as ``seir.prepared`` compiles them).

Under the test settings (``SEIR_PREPARED_CHECK_ALWAYS``) each statement's first run is
also run the plain way on the same connection, outside Django's query log, and must
give the same rows with the same column types.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate
from psycopg2 import errorcodes

_PLACEHOLDER = re.compile(r"%%|%s")
_names = itertools.count(1)
# SQLSTATEs after which a name is no longer trusted.
_GONE = errorcodes.INVALID_SQL_STATEMENT_NAME  # 26000: no such prepared statement
_STALE = errorcodes.FEATURE_NOT_SUPPORTED  # 0A000: cached plan must not change result type


def enabled(connection) -> bool:
    return connection.vendor == "postgresql" and settings.SEIR_SERVER_PREPARED


def _numbered(sql: str) -> tuple[str, int]:
    """The SQL with its ``%s`` placeholders as ``$1, $2, ...`` (``%%`` kept for the
    driver, which sends it as ``%``), and how many there are."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group() == "%%":
            return "%%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql), count


def inline(connection, sql: str, params, *, keep: list[int]) -> str:
    """``sql`` with every parameter but those at ``keep`` written into it as the literal
    the driver would send for it (``'active'``, ``1``, ``NULL``), so a prepared
    statement takes only the query's values. Sent as parameters of a prepared statement,
    constants have no type, and PostgreSQL guesses one from their place: a ``CASE``
    choosing between two of them, or a column selected as one, becomes text, not the
    number the plain query sends."""
    connection.ensure_connection()
    kept, out, at, index = set(keep), [], 0, 0
    with connection.connection.cursor() as cursor:
        for match in _PLACEHOLDER.finditer(sql):
            out.append(sql[at : match.start()])
            at = match.end()
            if match.group() == "%%":
                out.append("%%")
                continue
            if index in kept:
                out.append("%s")
            else:  # the literal's own "%" escaped for the driver, as the SQL's are
                literal = cursor.mogrify("%s", (params[index],)).decode()
                out.append(literal.replace("%", "%%"))
            index += 1
    out.append(sql[at:])
    return "".join(out)


class _Known:
    """The statements prepared on one raw connection: SQL -> name."""

    __slots__ = ("raw", "names", "pending", "sent")

    def __init__(self, raw):
        self.raw, self.names = raw, {}
        self.pending = None  # (sql, name) of a statement being prepared
        self.sent = None  # the SQL last sent


def _known(connection) -> _Known:
    known = connection.__dict__.get("seir_statements")
    if known is None or known.raw is not connection.connection:
        known = connection.__dict__["seir_statements"] = _Known(connection.connection)
    return known


def run(connection, sql: str, params: tuple, fetch: Callable[[str], list], *, check: bool) -> list:
    """``fetch(sql)``'s rows, ``sql`` sent as a prepared statement where the database
    has them; ``check``: compare a statement's first run with its plain SQL's."""
    if not enabled(connection):
        return fetch(sql)
    try:
        rows = fetch(statement(connection, sql, len(params)))
    except Exception as error:
        if not failed(connection, error) or connection.in_atomic_block:
            raise
        # The server no longer had the statement, or its plan no longer fits the
        # tables; outside a transaction nothing was lost: prepared afresh, once.
        try:
            rows = fetch(statement(connection, sql, len(params)))
        except Exception as error:
            failed(connection, error)
            raise
    name = ran(connection)
    if name is not None and check:
        _check(connection, sql, params, name)
    return rows


def _execute(name: str, nparams: int) -> str:
    """``EXECUTE name (%s, ...)``: the statement run with ``nparams`` values."""
    return f"EXECUTE {name} ({', '.join(['%s'] * nparams)})" if nparams else f"EXECUTE {name}"


def statement(connection, sql: str, nparams: int) -> str:
    """What to send for ``sql`` (whose ``nparams`` values are sent with it)."""
    connection.ensure_connection()  # the names belong to the connection it will run on
    known = _known(connection)
    known.sent, known.pending = sql, None
    name = known.names.get(sql)
    if name is not None:
        return _execute(name, nparams)
    name = f"seir_{next(_names)}"
    numbered, count = _numbered(sql)
    if count != nparams:  # not SQL this can number (never seen): sent as it is
        return sql
    known.pending = (sql, name)
    return f"PREPARE {name} AS {numbered}; {_execute(name, nparams)}"


def ran(connection) -> str | None:
    """The statement sent ran: one just prepared is known from now on (its name)."""
    known = _known(connection)
    if known.pending is None:
        return None
    sql, name = known.pending
    known.names[sql] = name
    known.pending = None
    return name


def _check(connection, sql: str, params: tuple, name: str) -> None:
    """The statement ``name`` gives what ``sql`` gives: the same rows, the same column
    types. Run on the raw connection, outside Django's query log (tests only)."""
    results = []
    with connection.connection.cursor() as cursor:
        for text in (sql, _execute(name, len(params))):
            cursor.execute(text, params)
            types = [column.type_code for column in cursor.description or ()]
            results.append((types, cursor.fetchall() if cursor.description else None))
    if results[0] != results[1]:
        raise AssertionError(
            f"The prepared statement {name} gave {results[1]!r}, its SQL {results[0]!r}: {sql}"
        )


def failed(connection, error: BaseException) -> bool:
    """The statement sent failed: forget what can no longer be trusted. True when the
    failure was the statement's own (gone from the server, or its plan stale), so that
    preparing it afresh may succeed."""
    known = connection.__dict__.get("seir_statements")
    if known is None:
        return False
    known.pending = None  # prepared or not: its name is never used again
    code = getattr(error, "pgcode", None) or getattr(error.__cause__, "pgcode", None)
    if code == _GONE:
        known.names.clear()
    elif code == _STALE:
        known.names.pop(known.sent, None)
    return code in (_GONE, _STALE)


def _forget_everywhere(**kwargs) -> None:
    """Before and after ``migrate``: every statement this process prepared is dropped."""
    for connection in connections.all(initialized_only=True):
        known = connection.__dict__.pop("seir_statements", None)
        if known is not None and known.names and connection.connection is known.raw:
            with connection.cursor() as cursor:
                cursor.execute("DEALLOCATE ALL")


pre_migrate.connect(_forget_everywhere, dispatch_uid="seir.statements.pre_migrate")
post_migrate.connect(_forget_everywhere, dispatch_uid="seir.statements.post_migrate")
