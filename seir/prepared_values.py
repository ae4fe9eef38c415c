"""Where a prepared query's values go (``seir.prepared``): each argument's stand-in, the
values' part of a shape's key, and which of the compiled SQL's parameters each value
fills."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

_INT_BASE = -918_273_645_000
_SMALL_INT_TOP = 32_767


class PreparedQueryError(TypeError):
    """A prepared function was given a value it cannot prepare, or built a query whose
    SQL depends on something other than its arguments."""


class Slot:
    """Where the compiled SQL's parameter at one position comes from: an argument (or an
    item of one), as the database backend adapts it (SQLite stores dates as text)."""

    __slots__ = ("arg", "item", "adapt")

    def __init__(self, arg: int, item: int | None, adapt: Callable[[Any], Any] | None = None):
        self.arg, self.item, self.adapt = arg, item, adapt

    def value(self, values: tuple) -> Any:
        value = values[self.arg] if self.item is None else values[self.arg][self.item]
        return value if self.adapt is None else self.adapt(value)


def _stand_in(index: int, value: Any, item: int | None = None) -> Any:
    """A value of the same type as ``value`` that no real query uses (``item``: its place
    in a list)."""
    number = index * 10_000 + (item or 0)
    if isinstance(value, bool):
        raise PreparedQueryError("A boolean changes the SQL: pass it as a keyword argument.")
    if isinstance(value, int) and item is None:
        # Within every integer field's range (a small integer's too): Django compiles a
        # comparison with a number its field cannot hold as "matches nothing".
        return _SMALL_INT_TOP - index
    if isinstance(value, int):  # a list's (ids): far from any constant
        return _INT_BASE - number
    if isinstance(value, str):
        return f"\u2063seir-prepared-{number}\u2063"
    # Dates and datetimes: one day apart per number, so no two stand-ins are equal (a
    # year per argument wrapped round after a few arguments: two of a dozen instants
    # would have shared a stand-in).
    if isinstance(value, datetime.datetime):
        first = datetime.datetime(1000, 1, 1, 0, 0, 7, 1, tzinfo=value.tzinfo)
        return first + datetime.timedelta(days=number)
    if isinstance(value, datetime.date):
        return datetime.date(1000, 1, 7) + datetime.timedelta(days=number)
    raise PreparedQueryError(
        f"A prepared query's value must be an int, a string, a date or a datetime, "
        f"not {type(value).__name__}."
    )


def normalise(args: tuple) -> tuple[tuple, tuple]:
    """(the values, with lists deduplicated; the part of the key they give)."""
    values, key = [], []
    for value in args:
        if value is None or isinstance(value, bool):
            values.append(value)
            key.append(("fixed", value))
        elif isinstance(value, list | tuple | set | frozenset):
            items = list(dict.fromkeys(value))
            values.append(items)
            key.append(("list", len(items), type(items[0]) if items else None))
        else:
            values.append(value)
            key.append(("value", type(value)))
    return tuple(values), tuple(key)


def stand_ins_for(values: tuple) -> tuple:
    out = []
    for index, value in enumerate(values):
        if value is None or isinstance(value, bool):
            out.append(value)
        elif isinstance(value, list):
            out.append([_stand_in(index, item, n) for n, item in enumerate(value)])
        else:
            out.append(_stand_in(index, value))
    return tuple(out)


def slots_for(params: tuple, stand_ins: tuple, connection, optional=frozenset()) -> tuple:
    """Each compiled parameter: a ``Slot`` (an argument's value) or the constant itself."""
    where: dict[Any, Slot] = {}

    def note(value, index, item):
        if (type(value), value) in where:  # two arguments' stand-ins must never be equal
            raise PreparedQueryError(f"Stand-in {value!r} given to two arguments.")
        where[(type(value), value)] = Slot(index, item)
        if isinstance(value, datetime.datetime):
            adapt = connection.ops.adapt_datetimefield_value
        elif isinstance(value, datetime.date):
            adapt = connection.ops.adapt_datefield_value
        else:
            return
        adapted = adapt(value)
        where.setdefault((type(adapted), adapted), Slot(index, item, adapt))

    for index, value in enumerate(stand_ins):
        if isinstance(value, list):
            for n, item in enumerate(value):
                note(item, index, n)
        elif value is not None and not isinstance(value, bool):
            note(value, index, None)
    slots, found = [], set()
    for param in params:
        slot = where.get((type(param), param)) if _hashable(param) else None
        if slot is not None:
            found.add((slot.arg, slot.item))
            slots.append(slot)
        elif isinstance(param, datetime.date) or _iso_date(param):
            raise PreparedQueryError(
                f"The query's SQL holds the date {param!r}, which is not an argument: "
                "pass it as one, or it would be kept from the first call."
            )
        else:
            slots.append(param)
    missing = {(slot.arg, slot.item) for slot in where.values()} - found
    missing = {(arg, item) for arg, item in missing if arg not in optional}
    if missing:
        raise PreparedQueryError(
            f"Argument(s) {sorted({arg for arg, _ in missing})} do not reach the SQL's "
            "parameters as they are (a lookup transforms them): pass them as keyword "
            "arguments, which are part of the shape."
        )
    return tuple(slots)


def _iso_date(value: Any) -> bool:
    """A string as a backend passes a date or a datetime (SQLite: "2026-12-06 ...")."""
    if not isinstance(value, str) or len(value) < 10 or value[10:11] not in ("", " ", "T"):
        return False
    try:
        datetime.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def params_for(slots: tuple, values: tuple) -> tuple:
    return tuple(slot.value(values) if isinstance(slot, Slot) else slot for slot in slots)
