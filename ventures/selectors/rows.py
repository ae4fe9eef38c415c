"""The venture list's pages: the ids of a page by a narrow query, then its rows as
plain values (docs/performance.md §2, §8, §12, §20)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from seir.dates import days_since_each
from seir.links import url_for_each
from seir.paging import COUNT_CAP, CappedPaginator, counts_in_turn, ids_of_few, ids_of_slices
from seir.prepared import prepared

from ..models import Origin, Stage, Venture, VentureStatus


def page_of(
    *, queryset: QuerySet[Venture], start: int, stop: int, few: bool = False, spread: bool = True
) -> list[Venture]:
    """Rows ``start:stop`` of ``queryset``, in its order, with its related rows.

    The page's ids are chosen first by a narrow query on the venture table (an index
    walk, or a top-N sort of bare rows), and only those rows are joined with what they
    show. Slicing the full query instead lets PostgreSQL join every matching row before
    sorting: 240 ms rather than 1 ms for a search matching 4,000 of 10,000 ventures.
    """
    if stop <= start:
        return []
    ids = page_ids(queryset=queryset, start=start, stop=stop, few=few, spread=spread)
    return list(queryset.filter(pk__in=ids))


def _stage_sort(queryset: QuerySet) -> bool | None:
    """Whether ``queryset`` is sorted by stage (then name and id), and if so descending."""
    order = tuple(queryset.query.order_by)
    if order[-2:] != ("name", "pk"):
        return None
    return {("stage__order",): False, ("-stage__order",): True}.get(order[:-2])


def page_ids(
    *,
    queryset: QuerySet[Venture],
    start: int,
    stop: int,
    few: bool = False,
    spread: bool = True,
    programme_ids: list[int] | None = None,
) -> QuerySet | list[int]:
    """The ids of rows ``start:stop`` of ``queryset``, for ``pk__in``: a narrow subquery
    that walks the sort's index; or, when its rows are known to be ``few`` (at most
    ``COUNT_CAP``), its rows read as the count read them and sorted
    (``seir.paging.sorted_among_few_sql``); or, when they are many but may cluster along
    the sort (``spread`` false: a search, a stage) and an index of the filters' own finds
    them, a walk that gives up early for that read and sort
    (``seir.paging.walk_then_sort_sql``).

    Sorted by stage, the order is the stage's ``order`` on another table, so the database
    would read and sort every visible venture. When they are ``few``, they are read with
    their stages' order and sorted in one statement (``seir.paging.ids_of_few``).
    Otherwise the stages are taken in order: their ventures are counted in turn until
    ``stop`` is reached (the stages past it not at all), each walked by the (stage, name,
    id) index, and the slice is taken across them (each stage's walk giving up early, as
    above, when the rows may cluster). The cost
    follows the page, not the data. ``programme_ids``: the programmes ``queryset``'s rows
    can be in, when known (``VentureFilter``), so each stage order is one programme's
    stage for a reader of one programme, which its index walks in order; two programmes'
    copies of a stage made PostgreSQL walk the name index over every venture instead,
    dropping the other stages' rows."""
    descending = _stage_sort(queryset)
    if descending is None:
        if few or not spread:
            return ids_of_slices([(queryset, start, stop, few, not few)])
        return queryset.values("pk")[start:stop]
    if few:
        # Counted under the cap: its rows read by the filters' own index with their
        # stages' order and sorted, in one statement. Counting each stage in turn made a
        # search scan the table once a stage, each scan hoping to stop early (§39).
        return ids_of_few(queryset, start, stop)
    stages_by_order: dict[int, list[int]] = {}
    stages = Stage.objects.order_by()
    if programme_ids is not None:
        stages = stages.filter(programme_id__in=programme_ids)
    for order, stage_id in stages.values_list("order", "id"):
        stages_by_order.setdefault(order, []).append(stage_id)
    groups = [
        queryset.filter(stage_id__in=ids).order_by("name", "pk")
        for _, ids in sorted(stages_by_order.items(), reverse=descending)
    ]
    slices, seen = [], 0
    for group, count in zip(groups, counts_in_turn(groups, stop), strict=True):
        low, high = max(start - seen, 0), min(stop - seen, count)
        if low < high:  # counted up to what was left of ``stop + 1``: short of it, all
            few = count <= min(stop - seen, COUNT_CAP)
            slices.append((group, low, high, few, not (few or spread)))
        seen += count
        if seen >= stop:
            break
    return ids_of_slices(slices)


class NarrowPaginator(CappedPaginator):
    """A Paginator whose pages are fetched with ``fetch(queryset=, start=, stop=)``
    (``page_of``, model instances, unless told otherwise), and which counts no further
    than its cap (``more_than`` says when there are more)."""

    def __init__(self, object_list, per_page, *, fetch=page_of, spread=True, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.fetch = fetch
        # False when the filters' rows may cluster along the sort and an index of their
        # own finds them (``page_ids``); the fetch is then told so.
        self.spread = spread

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        # Counted short of the cap: the rows are few, and the page sorts them all.
        few = self.more_than is None and self.count <= COUNT_CAP
        how = {} if self.spread else {"spread": False}
        rows = self.fetch(queryset=self.object_list, start=bottom, stop=top, few=few, **how)
        return self._get_page(rows, number, self)


def person_name(*, first: str | None, last: str | None, username: str | None) -> str:
    """``User.display_name`` from its columns ("" when there is no such person)."""
    if username is None:
        return ""
    return f"{first} {last}".strip() or username


STATUS_LABELS = dict(VentureStatus.choices)
ORIGIN_LABELS = dict(Origin.choices)


@dataclass(frozen=True, slots=True)
class VentureRow:
    """One row of the venture list, read as plain values. The list shows 25 of them;
    building six model instances per row (venture, programme, stage, lead, SEiR, legal
    form) with every column was a third of the page's cost (docs/performance.md)."""

    pk: int
    name: str
    programme: str
    area: str
    stage: str
    status: str
    origin: str
    is_spinout: bool
    lead: str
    seir: str
    days_in_stage: int | None
    url: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABELS.get(self.origin, self.origin)


_ROW_VALUES = (
    "pk",
    "name",
    "programme__name",
    "area",
    "stage__name",
    "status",
    "origin",
    "is_spinout",
    "lead__first_name",
    "lead__last_name",
    "lead__username",
    "seir__first_name",
    "seir__last_name",
    "seir__username",
    "stage_entered_at",
)


@prepared
def _rows_by_id(ids):
    """What a row shows of each of these ventures, unordered (seir/prepared.py)."""
    return Venture.objects.filter(pk__in=ids).order_by().values_list(*_ROW_VALUES)


def venture_rows(
    *,
    queryset: QuerySet[Venture],
    start: int,
    stop: int,
    few: bool = False,
    spread: bool = True,
    programme_ids: list[int] | None = None,
) -> list[VentureRow]:
    """Rows ``start:stop`` of ``queryset`` (in its order) as ``VentureRow``s: the page's
    ids by a narrow query, as in ``page_of``, then those rows with what they show.

    The ids are read first and the rows put in their order here: the rows' query then
    needs no ORDER BY nor the list's filters, which made it the page's costliest to
    compile (Django matches each ordering term against every selected column) and to
    plan (PostgreSQL weighed the joins against the id subquery: ~0.8 ms, now ~0.4)."""
    if stop <= start:
        return []
    ids = page_ids(
        queryset=queryset,
        start=start,
        stop=stop,
        few=few,
        spread=spread,
        programme_ids=programme_ids,
    )
    if isinstance(ids, QuerySet):
        ids = [row["pk"] for row in ids]
    if not ids:
        return []
    days_since, url = days_since_each(), url_for_each("ventures:detail")
    found = {row[0]: row for row in _rows_by_id(ids)}
    rows = []
    for pk in ids:
        if pk not in found:  # deleted since its id was read
            continue
        (
            _,
            name,
            programme,
            area,
            stage,
            status,
            origin,
            is_spinout,
            lead_first,
            lead_last,
            lead_username,
            seir_first,
            seir_last,
            seir_username,
            entered,
        ) = found[pk]
        rows.append(
            VentureRow(
                pk=pk,
                name=name,
                programme=programme,
                area=area,
                stage=stage,
                status=status,
                origin=origin,
                is_spinout=is_spinout,
                lead=person_name(first=lead_first, last=lead_last, username=lead_username),
                seir=person_name(first=seir_first, last=seir_last, username=seir_username),
                days_in_stage=days_since(entered),
                url=url(pk),
            )
        )
    return rows
