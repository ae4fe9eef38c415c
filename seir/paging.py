"""Paging and counting whose cost follows the page, not the size of the data.

Each helper turns ORM querysets into narrow queries (an index walk with LIMIT) and sends
several of them in one round trip (UNION ALL of derived tables, which SQLite accepts with
their ORDER BY). The SQL is the ORM's own, compiled with its parameters kept apart.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, QuerySet
from django.utils.functional import cached_property

__all__ = [
    "CappedPaginator",
    "count_up_to",
    "counts_in_turn",
    "counts_in_turn_sql",
    "counts_of_each",
    "counts_sql",
    "ids_of_each",
    "ids_of_few",
    "ids_of_slices",
    "ids_sql",
    "sorted_among_few_sql",
    "walk_then_sort_sql",
]

# How far a list counts and pages (40 pages of 25): past it the page says "more than".
COUNT_CAP = 1000
# A subquery the database plans on its own (``sorted_among_few_sql``), by vendor.
FENCE = {"postgresql": " OFFSET 0", "sqlite": " LIMIT -1 OFFSET 0"}
# How far ``walk_then_sort_sql`` walks the sort's index: this many rows of the table for
# each row up to the page's end (the page's rows found among them if at least one row
# in this many passes the filters), and never more than WALK_ROWS_MAX.
WALK_ROWS_PER_ROW = 40
WALK_ROWS_MAX = 10_000


def ids_of_each(querysets: list[QuerySet], start: int, stop: int) -> list[int]:
    """Ids ``start:stop`` of each queryset, in one round trip (the board's columns)."""
    return ids_of_slices([(queryset, start, stop) for queryset in querysets])


def ids_of_slices(slices: list[tuple[QuerySet, int, int]]) -> list[int]:
    """The ids of each ``(queryset, start, stop)`` slice, in one round trip.

    Each slice is its own narrow query (an index walk with LIMIT), placed in a derived
    table so that SQLite accepts its ORDER BY, and the parts are joined with UNION ALL.
    One query per part instead cost a round trip and a compile each. The ids come back
    as a set would: callers order the rows they then read."""
    sql, params = ids_sql(slices)
    if not sql:
        return []
    with connections[slices[0][0].db].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def ids_sql(slices: list[tuple]) -> tuple[str, list]:
    """``ids_of_slices``'s SQL and parameters ("" when every slice is empty). A slice is
    ``(queryset, start, stop)``; or ``(queryset, start, stop, few)`` with ``few`` true
    when its rows are known to number at most ``COUNT_CAP`` (``sorted_among_few_sql``);
    or ``(queryset, start, stop, False, True)`` when they are many but an index of the
    filters' own finds them (``walk_then_sort_sql``)."""
    parts, params = [], []
    for index, (queryset, start, stop, *how) in enumerate(slices):
        if stop <= start:
            continue
        few, bounded = (list(how) + [False, False])[:2]
        try:
            if few:
                found = sorted_among_few_sql(queryset, start, stop)
            elif bounded:
                found = walk_then_sort_sql(queryset, start, stop)
            else:
                found = None
            if found is None:
                part = queryset.values("pk")[start:stop]
                found = part.query.get_compiler(using=part.db).as_sql()
            sql, part_params = found
        except EmptyResultSet:
            continue
        # The ORM's own compiled SQL; its parameters are passed separately.
        parts.append(f"SELECT * FROM ({sql}) AS part_{index}")  # noqa: S608
        params.extend(part_params)
    return " UNION ALL ".join(parts), params


def _own_order(queryset: QuerySet) -> list[tuple[object, bool]] | None:
    """``queryset``'s order as ``(field, descending)`` of the model's own columns, or
    None when it is anything else (a related row's column, random, none, DISTINCT)."""
    meta, terms = queryset.model._meta, []
    if queryset.query.distinct or queryset.query.combinator:
        return None
    for term in queryset.query.order_by:
        name = term.lstrip("-") if isinstance(term, str) else ""
        try:
            field = meta.pk if name == "pk" else meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not field.concrete or field.is_relation:
            return None
        terms.append((field, term.startswith("-")))
    return terms or None


def _related_order(queryset: QuerySet) -> list[tuple[str, bool]] | None:
    """``queryset``'s order as ``(name, descending)`` of columns named by their paths,
    a related row's included (``stage__order``), or None when it is anything else
    (random, an expression, none, DISTINCT)."""
    if queryset.query.distinct or queryset.query.combinator:
        return None
    terms = []
    for term in queryset.query.order_by:
        name = term.lstrip("-") if isinstance(term, str) else ""
        if not name.replace("__", "").replace("_", "").isalnum():
            return None
        terms.append((name, term.startswith("-")))
    return terms or None


def _sort_keys_sql(queryset: QuerySet, terms) -> tuple[str, list, str]:
    """The rows of ``queryset`` as ``page_pk`` and sort keys ``s0``, ``s1``…, unordered
    (its SQL and parameters), and the ORDER BY of those keys. ``terms``: ``(field,
    descending)`` of the model's own fields, or ``(path, descending)``."""
    columns = {
        f"s{i}": F(term if isinstance(term, str) else term.attname)
        for i, (term, _) in enumerate(terms)
    }
    inner = queryset.order_by().values(page_pk=F("pk"), **columns)
    sql, params = inner.query.get_compiler(using=inner.db).as_sql()
    quote = connections[inner.db].ops.quote_name
    order = ", ".join(
        f"{quote(f's{i}')} {'DESC' if descending else 'ASC'}"
        for i, (_, descending) in enumerate(terms)
    )
    return sql, list(params), order


def sorted_among_few_sql(
    queryset: QuerySet, start: int, stop: int, *, related: bool = False
) -> tuple[str, list] | None:
    """Ids ``start:stop`` of ``queryset``, whose rows are known to be few (a capped count
    came back under ``COUNT_CAP``), by reading all its rows and sorting them, rather
    than walking the sort's index.

    The planner assumes the rows a filter keeps are spread evenly along the sort's index,
    so for a small page it walks that index, dropping the rows that fail the filter. When
    they cluster (a search for "sutton" finds names late in the alphabet) it drops
    thousands first: 10 ms for 25 ids against 0.6 ms this way. The inner query's
    ``OFFSET 0`` (``FENCE``) keeps it from being merged into the outer one, so the
    database finds the rows by the filter's own index and sorts the few it finds (a
    ``LIMIT`` would fence it too, but tempts the planner into a scan it hopes to stop
    early, and it never does when the rows are fewer). None when the order is not a list
    of the model's own columns (the caller then walks the index), unless ``related``:
    then a related row's column may be among them (``ids_of_few``)."""
    terms = _own_order(queryset) or (_related_order(queryset) if related else None)
    if terms is None:
        return None
    sql, params, order = _sort_keys_sql(queryset, terms)
    return _sorted_sql(queryset.db, sql, order, start, stop), params


def ids_of_few(queryset: QuerySet, start: int, stop: int) -> list[int]:
    """Ids ``start:stop`` of ``queryset``, whose rows are known to be few, read and
    sorted in one statement (``sorted_among_few_sql``) even when the order is a related
    row's column (the stage-sorted list: its stages' order), the join made for those few
    rows alone."""
    if stop <= start:
        return []
    try:
        found = sorted_among_few_sql(queryset, start, stop, related=True)
    except EmptyResultSet:  # a filter that can match nothing
        return []
    if found is None:
        return list(queryset.values_list("pk", flat=True)[start:stop])
    sql, params = found
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _sorted_sql(using: str, sql: str, order: str, start: int, stop: int) -> str:
    """``sorted_among_few_sql``'s statement around ``_sort_keys_sql``'s."""
    vendor = connections[using].vendor
    quote = connections[using].ops.quote_name
    # The ORM's own compiled SQL (its parameters passed separately), column aliases made
    # here, and two ints.
    return (
        f"SELECT {quote('page_pk')} FROM ({sql}{FENCE.get(vendor, '')}) AS few "  # noqa: S608
        f"ORDER BY {order} "
        f"LIMIT {int(stop - start)} OFFSET {int(start)}"
    )


def walk_then_sort_sql(queryset: QuerySet, start: int, stop: int) -> tuple[str, list] | None:
    """Ids ``start:stop`` of ``queryset``, whose rows are many (its capped count reached
    the cap) but found by an index of the filters' own (a search's words, a stage): the
    sort's index walked over at most its first ``WALK_ROWS_PER_ROW * stop`` rows, and if
    the page's rows are not all among them, every row read and sorted, in one statement.

    A walk costs what it drops. Where the rows a filter keeps cluster far along the sort
    (at 50,000 ventures "sutton" finds 1,199, named after Sutton Coldfield), it dropped
    41,336 rows first: 50 ms for 25 ids. Here the walk stops at a bound on the sort's own
    columns (the row so many places along the table, by the same index). Only when the
    walk came back short does the database run the second part, which reads the rows by
    the filters' index and sorts them (``sorted_among_few_sql``'s way): ~4 ms; and only
    when it did not does the first part answer. Where the rows are spread ("health",
    45% of the ventures) the walk finds the page at once.

    None (the caller walks the whole index) when the order is not of the model's own
    columns, mixes directions, or has a column that may be empty (a bound on it would
    leave those rows out: PostgreSQL sorts them first when descending)."""
    terms = _own_order(queryset)
    if terms is None or len({descending for _, descending in terms}) > 1:
        return None
    if any(field.null for field, _ in terms):
        return None
    descending = terms[0][1]
    sql, params, order = _sort_keys_sql(queryset, terms)
    few = _sorted_sql(queryset.db, sql, order, start, stop)
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    keys = ", ".join(quote(f"s{i}") for i in range(len(terms)))
    columns = ", ".join(quote(field.column) for field, _ in terms)
    bound = min(WALK_ROWS_PER_ROW * stop, WALK_ROWS_MAX)
    # The ORM's own compiled SQL (its parameters passed separately), the model's own
    # table and column names quoted, aliases made here, and ints.
    walk = (
        f"SELECT {quote('page_pk')}, {keys} FROM ({sql}) AS walked "  # noqa: S608
        f"WHERE ({keys}) {'>=' if descending else '<='} ("
        f"SELECT {columns} FROM {quote(queryset.model._meta.db_table)} ORDER BY "
        + ", ".join(
            f"{quote(field.column)} {'DESC' if descending else 'ASC'}" for field, _ in terms
        )
        + f" LIMIT 1 OFFSET {int(bound)}) ORDER BY {order} LIMIT {int(stop)}"
    )
    return (
        f"WITH walk AS ({walk}) "  # noqa: S608
        f"SELECT {quote('page_pk')} FROM (SELECT {quote('page_pk')} FROM walk "
        f"ORDER BY {order} LIMIT {int(stop - start)} OFFSET {int(start)}) AS near "
        f"WHERE (SELECT COUNT(*) FROM walk) = {int(stop)} "
        f"UNION ALL SELECT {quote('page_pk')} FROM ({few}) AS far "
        f"WHERE (SELECT COUNT(*) FROM walk) < {int(stop)}",
        params + params,
    )


def count_up_to(queryset: QuerySet, cap: int) -> int:
    """How many rows ``queryset`` has, counting no further than ``cap + 1``: the cost is
    bounded by the cap, not by the size of the data (COUNT over a LIMIT-ed subquery)."""
    return queryset.order_by().values("pk")[: cap + 1].count()


def counts_of_each(querysets: list[QuerySet], cap: int) -> list[int]:
    """``count_up_to(queryset, cap)`` for each queryset, in one round trip."""
    return _counts(querysets, counts_sql, cap)


def _counts(querysets: list[QuerySet], sql_of, limit: int) -> list[int]:
    """The counts ``sql_of(querysets, limit)``'s SQL answers, in its order."""
    if not querysets:
        return []
    sql, params = sql_of(querysets, limit)
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute(sql, params)
        return [count for _, count in cursor.fetchall()]


def counts_sql(querysets: list[QuerySet], cap: int) -> tuple[str, list]:
    """``counts_of_each``'s SQL and parameters: rows of (index, count) in order."""
    parts, params = [], []
    for index, queryset in enumerate(querysets):
        try:
            part = queryset.order_by().values("pk")[: cap + 1]
            sql, part_params = part.query.get_compiler(using=part.db).as_sql()
        except EmptyResultSet:
            parts.append(f"SELECT {index} AS n, 0 AS c")
            continue
        # The ORM's own compiled SQL; its parameters are passed separately.
        parts.append(f"SELECT {index} AS n, COUNT(*) AS c FROM ({sql}) AS part_{index}")  # noqa: S608
        params.extend(part_params)
    union = " UNION ALL ".join(parts)
    return f"SELECT n, c FROM ({union}) AS counts ORDER BY n", params  # noqa: S608


def counts_in_turn(querysets: list[QuerySet], total: int) -> list[int]:
    """How many rows each queryset has, taken in turn until ``total + 1`` rows are
    counted between them, in one round trip: each is counted no further than what is
    left of that after the ones before it, and not at all once it is reached. The
    stage-sorted list's groups: a page among the first stage's ventures no longer counts
    every later stage as far as the page's end (their rows read for nothing)."""
    return _counts(querysets, counts_in_turn_sql, total)


def counts_in_turn_sql(querysets: list[QuerySet], total: int) -> tuple[str, list]:
    """``counts_in_turn``'s SQL and parameters: rows of (index, count) in order. Each
    count is a named subquery whose LIMIT subtracts the counts before it (never below
    0: a LIMIT of 0 reads nothing), which PostgreSQL and SQLite both evaluate once."""
    counted, params = [], []
    for index, queryset in enumerate(querysets):
        before = "".join(f" - (SELECT c FROM counted_{j})" for j in range(index))  # noqa: S608
        try:
            part = queryset.order_by().values("pk")
            sql, part_params = part.query.get_compiler(using=part.db).as_sql()
        except EmptyResultSet:
            counted.append(f"counted_{index} AS (SELECT 0 AS c)")
            continue
        left = f"%s{before}"
        # The ORM's own compiled SQL; its parameters and the total are passed separately.
        counted.append(
            f"counted_{index} AS (SELECT COUNT(*) AS c FROM (SELECT 1 FROM ({sql}) AS rows_{index}"  # noqa: S608
            f" LIMIT CASE WHEN {left} > 0 THEN {left} ELSE 0 END) AS part_{index})"
        )
        params.extend([*part_params, total + 1, total + 1])
    rows = " UNION ALL ".join(
        f"SELECT {index} AS n, c FROM counted_{index}"  # noqa: S608 - indexes only
        for index in range(len(querysets))
    )
    return f"WITH {', '.join(counted)} SELECT n, c FROM ({rows}) AS counts ORDER BY n", params  # noqa: S608


class CappedPaginator(Paginator):
    """A Paginator that counts no further than ``cap``: a list of 100,000 meetings costs
    what a list of 1,000 does. ``more_than`` is the cap when there are more rows, for the
    page to say so; otherwise None."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap
        self.more_than: int | None = None

    @cached_property
    def count(self) -> int:
        counted = count_up_to(self.object_list, self.cap)
        if counted > self.cap:
            self.more_than = self.cap
        return min(counted, self.cap)
