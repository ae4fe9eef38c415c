"""Status machines as data: one shape for every table of allowed moves, and one enforcer.

A table is written ``{from_status: (to_status, ...)}``, each row in the order its moves
are offered, every status a row of its own (a final status has an empty one). A move that
carries more than its target (who may make it, the action that makes it, its button) is
written as a ``Move``, or an app's subclass adding its own fields, in place of the bare
status::

    STATUS_TRANSITIONS = Transitions(
        {Status.OPEN: (Status.CLOSED, Move(Status.PAUSED, by="reviewer")), ...},
        labels=Status,
    )

``Transitions`` reads as the mapping ``from -> (to, ...)``: ``list(table)`` is the
statuses in their written order and ``table == {...}`` compares the moves. Services
refuse a move with ``require`` (the one check); forms offer ``targets``; code that needs
a move's own data asks ``move`` or ``moves``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

from .refusals import Refused

# What a status the labels do not know reads as in a refusal.
UNKNOWN = "that status"
# The refusal ``require`` raises unless told otherwise. Its fields: {current} and
# {target} (the two statuses' labels as written), {current_lower} and {target_lower}
# (the same in lower case, as they read inside a sentence).
DEFAULT_MESSAGE = "It cannot go from “{current}” to “{target}”."
_MISSING = object()


@dataclass(frozen=True)
class Move:
    """One allowed move: the status it leads to and, where the table says, who may make it
    (a tag the app defines, e.g. "team" or "reviewer"; empty when the table does not say).
    An app subclasses it to carry more (the button's label, the event it records)."""

    to: str
    by: str = ""


class Transitions(Mapping):
    """A frozen status machine: ``from_status -> (to_status, ...)`` with each move's data."""

    __slots__ = ("_rows", "_fields", "_labels", "_unknown")

    def __init__(
        self,
        table: Mapping[str, Iterable[str | Move]],
        *,
        labels: Any = None,
        unknown: str = UNKNOWN,
    ):
        """``table``: each status's moves, as statuses or ``Move``s. ``labels``: a Django
        ``TextChoices`` (or a ``{status: label}`` mapping) naming the statuses in refusals.
        ``unknown``: what a status missing from ``labels`` reads as."""
        rows: dict[str, tuple[Move, ...]] = {}
        for source, moves in table.items():
            row = tuple(m if isinstance(m, Move) else Move(to=m) for m in moves)
            targets = [m.to for m in row]
            if len(set(targets)) != len(targets):
                raise ValueError(f"Transitions: {source!r} lists a move twice: {targets}.")
            rows[source] = row
        for source, row in rows.items():
            for m in row:
                if m.to not in rows:
                    raise ValueError(
                        f"Transitions: {source!r} moves to {m.to!r}, which has no row "
                        "(give a final status an empty one)."
                    )
        if labels is not None and not isinstance(labels, Mapping):
            labels = dict(labels.choices)
        object.__setattr__(self, "_rows", rows)
        names = {f.name for row in rows.values() for m in row for f in fields(m)}
        object.__setattr__(self, "_fields", frozenset(names | {f.name for f in fields(Move)}))
        object.__setattr__(self, "_labels", dict(labels or {}))
        object.__setattr__(self, "_unknown", unknown)

    def __setattr__(self, name, value):
        raise AttributeError("Transitions are frozen.")

    def __delattr__(self, name):
        raise AttributeError("Transitions are frozen.")

    # The mapping: status -> the statuses it may move to, in order.
    def __getitem__(self, source: str) -> tuple[str, ...]:
        return tuple(m.to for m in self._rows[source])

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        return f"Transitions({dict(self._rows)!r})"

    def moves(self, source: str, **where: Any) -> tuple[Move, ...]:
        """The moves out of ``source`` in the table's order (none from a status it does not
        know), only those whose attributes equal ``where`` (e.g. ``by="reviewer"``; a move
        without the attribute does not match; one no move in the table has is an error)."""
        row = self._rows.get(source, ())
        if not where:
            return row
        unknown = set(where) - self._fields
        if unknown:
            raise TypeError(f"Transitions: no move in this table has {sorted(unknown)}.")
        return tuple(m for m in row if all(getattr(m, k, _MISSING) == v for k, v in where.items()))

    def targets(self, source: str, **where: Any) -> tuple[str, ...]:
        """The statuses ``source`` may move to, in the table's order (filtered as ``moves``)."""
        return tuple(m.to for m in self.moves(source, **where))

    def move(self, source: str, target: str) -> Move | None:
        """The move from ``source`` to ``target``, or None when the table has none."""
        return next((m for m in self._rows.get(source, ()) if m.to == target), None)

    def allowed(self, source: str, target: str, **where: Any) -> bool:
        """Whether the table has a move from ``source`` to ``target`` (matching ``where``)."""
        return target in self.targets(source, **where)

    def pairs(self, **where: Any) -> frozenset[tuple[str, str]]:
        """Every ``(from, to)`` move in the table (matching ``where``)."""
        return frozenset((s, m.to) for s in self._rows for m in self.moves(s, **where))

    def label(self, status: str) -> str:
        """The status's label for a person, or ``unknown`` when the labels lack it."""
        return str(self._labels.get(status, self._unknown))

    def require(
        self,
        source: str,
        target: str,
        *,
        message: str = DEFAULT_MESSAGE,
        refusal: type[Refused] = Refused,
    ) -> Move:
        """The move from ``source`` to ``target``; if the table has none, raise ``refusal``
        (``Refused`` or an app's subclass) with ``message`` naming the two statuses (see
        ``DEFAULT_MESSAGE`` for its fields)."""
        found = self.move(source, target)
        if found is not None:
            return found
        current, wanted = self.label(source), self.label(target)
        raise refusal(
            message.format(
                current=current,
                target=wanted,
                current_lower=current.lower(),
                target_lower=wanted.lower(),
            )
        )
