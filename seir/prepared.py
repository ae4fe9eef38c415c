"""Queries built and compiled once per database connection and shape, then run again
with new values.

Django builds a queryset (``filter()``, ``select_related()``...) and compiles it to SQL
afresh on every call, whatever the values: on the pipeline's pages that was about a
third of their Python (docs/performance.md §23), more than running the queries. A
function decorated with ``@prepared`` returns a queryset; the first call for a shape
builds it with stand-in values, compiles it, and notes where each value lands among the
SQL's parameters. Later calls put their values in those places and run the same SQL
through the same compiler, so the rows (model instances with their ``select_related``,
``values()`` dicts or ``values_list()`` tuples) come back exactly as Django makes them.

    @prepared
    def _team(venture_id, *, limit):
        return TeamMembership.objects.filter(venture_id=venture_id)[:limit]

    rows = _team(venture.pk, limit=20)   # a list

- **Positional arguments are values**: ints, strings, dates, datetimes, or lists or
  tuples of ints or strings (an ``IN``: its length is part of the shape, duplicates
  dropped). ``None`` and booleans are part of the shape (they change the SQL: ``IS
  NULL``). A list of numbers compared with a small integer field must be shape too:
  its items' stand-ins are out of the field's range, which Django compiles as "matches
  nothing" (refused under the test settings and DEBUG).
- **Keyword arguments are the shape**: anything that changes the SQL itself (a slice's
  bounds, which filters apply, an ordering). They are passed to the function as they
  are and are part of the key.
- **Everything else must be fixed**: a value the function reads itself (today's date, a
  setting, the user) would be kept from the first call. A date or datetime among the
  compiled parameters that did not come from an argument is refused for that reason.
- The first call of each shape compiles the query with its real values too and checks
  that the prepared SQL and parameters are the same; under the test settings
  (``SEIR_PREPARED_CHECK_ALWAYS``) every call is checked. A shape that does not match,
  or cannot be prepared, is an error in the function: under the test settings or DEBUG
  it raises; in production it is logged and the shape is run the plain way from then on.

What is returned is a list: the queryset itself is never handed out, so nothing can
chain onto SQL that was compiled for another query. The values' stand-ins and where
each lands among the SQL's parameters are worked out in ``seir.prepared_values``.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from seir import statements
from seir.prepared_values import (
    PreparedQueryError,
    Slot,
    normalise,
    params_for,
    slots_for,
    stand_ins_for,
)

log = logging.getLogger(__name__)

# Shapes kept per connection and function (lists give one shape per length; a shape is
# ~20-30 KiB: the built query and its compiler). Past it, new shapes run the plain way.
MAX_SHAPES = 64


class _Shape:
    __slots__ = ("queryset", "compiler", "sql", "slots", "run_sql", "run_slots", "plain")

    def __init__(self, queryset=None, compiler=None, sql="", slots=(), plain=False):
        self.queryset, self.compiler, self.sql, self.slots = queryset, compiler, sql, slots
        # What is sent: the SQL as compiled or, for PostgreSQL's prepared statements, with
        # its constants written in (``statements.inline``), and the values' slots.
        self.run_sql, self.run_slots = sql, slots
        self.plain = plain  # run the plain way (the check failed, or it cannot be prepared)


def _check_always() -> bool:
    return getattr(settings, "SEIR_PREPARED_CHECK_ALWAYS", False)


class Prepared:
    """A function returning a queryset; calls return its rows (see the module)."""

    def __init__(
        self, build: Callable[..., Any], *, optional: frozenset[int] = frozenset(), server=True
    ):
        self.build = build
        # Also a PostgreSQL prepared statement (``seir.statements``)? Not for a query whose
        # best plan depends on its values (see ``prepared``).
        self.server = server
        # Arguments that one shape's SQL may leave out (a scope's instants: each query
        # compares with some of them). Only dates and datetimes may be: one the SQL held
        # without taking it as an argument would be refused as a date of its own.
        self.optional = optional
        functools.update_wrapper(self, build)

    def __call__(self, *args, **shape) -> list:
        values, key = normalise(args)
        key = (key, tuple(sorted((name, _key(value)) for name, value in shape.items())))
        try:
            return self._call(values, key, shape)
        except PreparedQueryError:
            if _check_always() or settings.DEBUG:
                raise
            # An error in the function (a value it cannot prepare, SQL that does not take
            # its arguments as they are): logged, and run the plain way (always right,
            # only slower) rather than failing the request.
            log.exception("Prepared query %s cannot be prepared", self.build.__qualname__)
            return self._plain(values, shape)

    def _call(self, values: tuple, key: tuple, shape: dict) -> list:
        connection = connections[self._alias(values, shape, key)]
        shapes = connection.__dict__.setdefault("seir_prepared", {}).setdefault(self, {})
        found = shapes.get(key)
        if found is None:
            if len(shapes) >= MAX_SHAPES:
                return self._plain(values, shape)
            found = shapes[key] = self._prepare(values, shape, connection)
            self._check(found, values, shape)
        elif _check_always() and not found.plain:
            self._check(found, values, shape)
        if found.plain:
            return self._plain(values, shape)
        return self._run(found, params_for(found.run_slots, values), connection)

    def _prepare(self, values: tuple, shape: dict, connection) -> _Shape:
        stand_ins = stand_ins_for(values)
        try:
            sql, params, payload = self._compile(stand_ins, shape, connection)
        except EmptyResultSet:
            # An empty list's IN () matches nothing whatever the values; otherwise a
            # stand-in did: Django drops a comparison with a number outside its field's
            # range (a small integer's), so that value must be a keyword argument.
            if not any(value == [] for value in values) and (_check_always() or settings.DEBUG):
                raise PreparedQueryError(
                    f"Prepared query {self.build.__qualname__} matches nothing with stand-in "
                    "values: a list of numbers compared with a small integer field must be "
                    "passed as a keyword argument."
                ) from None
            return _Shape(plain=True)
        try:
            slots = slots_for(tuple(params), stand_ins, connection, self._optional(stand_ins))
        except PreparedQueryError:
            if _check_always() or settings.DEBUG:
                raise
            log.exception("Prepared query %s cannot be prepared", self.build.__qualname__)
            return _Shape(plain=True)  # and so for every later call of this shape
        found = _Shape(sql=sql, slots=slots)
        found.queryset, found.compiler = payload
        values_at = [i for i, slot in enumerate(slots) if isinstance(slot, Slot)]
        if self.server and statements.enabled(connection) and len(values_at) < len(slots):
            found.run_sql = statements.inline(connection, sql, slots, keep=values_at)
            found.run_slots = tuple(slots[i] for i in values_at)
        return found

    def _optional(self, stand_ins: tuple) -> frozenset[int]:
        dated = {i for i in self.optional if isinstance(stand_ins[i], datetime.date | type(None))}
        if dated != set(self.optional):
            raise PreparedQueryError("Only dates and datetimes may be optional arguments.")
        return frozenset(dated)

    def _check(self, found: _Shape, values: tuple, shape: dict) -> None:
        if found.plain:
            return
        expected = self._expected(values, shape)
        got = (found.sql, params_for(found.slots, values))
        if expected is not None and (expected[0], tuple(expected[1])) == got:
            return
        message = (
            f"Prepared query {self.build.__module__}.{self.build.__qualname__} compiled to "
            f"other SQL than its arguments give: {got!r} instead of {expected!r}."
        )
        if _check_always() or settings.DEBUG:
            raise PreparedQueryError(message)
        log.error(message)
        found.plain = True

    # A queryset's: the compiler kept, asked for the prepared SQL with new values.

    def _alias(self, values, shape, key) -> str:
        aliases = self.__dict__.setdefault("_aliases", {})
        if key not in aliases:
            aliases[key] = self.build(*stand_ins_for(values), **shape).db
        return aliases[key]

    def _compile(self, stand_ins: tuple, shape: dict, connection) -> tuple:
        queryset = self.build(*stand_ins, **shape)
        if queryset._prefetch_related_lookups:
            raise PreparedQueryError("A prepared query cannot prefetch_related().")
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        # The compiler keeps what as_sql() worked out (the columns, where each model's
        # fields start); from now on it answers with the prepared SQL and new values.
        compiler.statement, compiler.params = sql, ()
        compiler.as_sql = lambda *a, **k: (compiler.statement, compiler.params)
        queryset.query.get_compiler = lambda *a, **k: compiler
        return sql, params, (queryset, compiler)

    def _expected(self, values: tuple, shape: dict) -> tuple | None:
        queryset = self.build(*values, **shape)
        try:
            return queryset.query.get_compiler(using=queryset.db).as_sql()
        except EmptyResultSet:
            return None

    def _run(self, found: _Shape, params: tuple, connection) -> list:
        queryset = found.queryset
        if not self.server:
            return _fetch(found.compiler, found.run_sql, params, queryset)
        return statements.run(
            connection,
            found.run_sql,
            params,
            lambda sql: _fetch(found.compiler, sql, params, queryset),
            check=_check_always(),
        )

    def _plain(self, values: tuple, shape: dict) -> list:
        return list(self.build(*values, **shape))


class PreparedSQL(Prepared):
    """A function returning ``(sql, params)`` (SQL put together from querysets' own
    compiled SQL, as ``seir.paging`` does); calls return the rows, as tuples, from the
    default database."""

    def _alias(self, values, shape, key) -> str:
        return DEFAULT_DB_ALIAS

    def _compile(self, stand_ins: tuple, shape: dict, connection) -> tuple:
        sql, params = self.build(*stand_ins, **shape)
        return sql, params, (None, None)

    def _expected(self, values: tuple, shape: dict) -> tuple | None:
        return self.build(*values, **shape)

    def _run(self, found: _Shape, params: tuple, connection) -> list:
        def fetch(sql: str) -> list:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        return statements.run(connection, found.run_sql, params, fetch, check=_check_always())

    def _plain(self, values: tuple, shape: dict) -> list:
        sql, params = self.build(*values, **shape)
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def _fetch(compiler, sql: str, params: tuple, queryset) -> list:
    compiler.statement, compiler.params = sql, params
    return list(queryset._iterable_class(queryset))


def _key(value: Any) -> Any:
    if isinstance(value, list | set | frozenset):
        return tuple(value)
    return value


def prepared(
    build: Callable[..., QuerySet], *, optional: tuple[int, ...] = (), server: bool = True
) -> Prepared:
    """Decorate a function returning a queryset: calls return its rows as a list, the
    query built and compiled once per connection and shape (see the module).
    ``optional``: the positions of date or datetime arguments that a shape's SQL may
    leave out (every other argument must reach it). ``server=False``: not also a
    PostgreSQL prepared statement, for a query whose best plan depends on its values
    (the server then plans it afresh with them each time; once a statement has run five
    times PostgreSQL may keep one plan for every value)."""
    return Prepared(build, optional=frozenset(optional), server=server)


def prepared_sql(build: Callable[..., tuple[str, Any]]) -> PreparedSQL:
    """Decorate a function returning ``(sql, params)``: calls return its rows (tuples),
    the SQL put together once per connection and shape. An empty result set (the
    function raises ``EmptyResultSet``) is run the plain way, which raises it too."""
    return PreparedSQL(build)


def attach(parents: list, read: Callable[[list], list], *, by: str, name: str) -> list:
    """Each of ``parents`` given ``name``: the rows ``read`` returns for their ids (a
    prepared function of a list of ids) whose ``by`` is that parent's id, in the order
    ``read`` gives them; one query for them all, none without parents. What a
    ``prefetch_related`` does, which a prepared query cannot (it would be built and
    compiled again on every call)."""
    found: dict[Any, list] = {parent.pk: [] for parent in parents}
    if found:
        for row in read(list(found)):
            found[getattr(row, by)].append(row)
    for parent in parents:
        setattr(parent, name, found[parent.pk])
    return parents
