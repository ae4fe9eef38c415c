"""Reads. Every query here already applies the caller's permissions.

Selectors are keyword-only ``<entity>_<verb>`` functions (``tests/test_conventions.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Programme, User
from accounts.permissions import user_is_global_admin
from seir import refcache
from seir.dates import days_since
from seir.paging import CappedPaginator, counts_of_each, ids_of_slices

from .filters import VentureFilter
from .links import url_for_each
from .models import (
    FieldChange,
    LegalForm,
    Origin,
    Stage,
    StageChange,
    StageTransition,
    TeamMembership,
    Venture,
    VentureStatus,
)
from .permissions import VentureAccess, venture_access, visible_ventures_q


def ventures_visible_to(*, user: User) -> QuerySet[Venture]:
    """Staff and managers see their programmes' ventures; entrepreneurs their teams'."""
    if not user.is_authenticated:
        return Venture.objects.none()
    if user_is_global_admin(user):
        return Venture.objects.all()
    return Venture.objects.filter(visible_ventures_q(user))


def for_cards(*, queryset: QuerySet[Venture]) -> QuerySet[Venture]:
    """Ventures with what a card or a row shows. ``stage_entered_at`` is stored on the
    venture (kept by venture_move), so no per-row subquery over the stage history."""
    return queryset.select_related("stage", "programme", "lead", "seir", "legal_form")


def page_of(*, queryset: QuerySet[Venture], start: int, stop: int) -> list[Venture]:
    """Rows ``start:stop`` of ``queryset``, in its order, with its related rows.

    The page's ids are chosen first by a narrow query on the venture table (an index
    walk, or a top-N sort of bare rows), and only those rows are joined with what they
    show. Slicing the full query instead lets PostgreSQL join every matching row before
    sorting: 240 ms rather than 1 ms for a search matching 4,000 of 10,000 ventures.
    """
    if stop <= start:
        return []
    return list(queryset.filter(pk__in=page_ids(queryset=queryset, start=start, stop=stop)))


def _stage_sort(queryset: QuerySet) -> bool | None:
    """Whether ``queryset`` is sorted by stage (then name and id), and if so descending."""
    order = tuple(queryset.query.order_by)
    if order[-2:] != ("name", "pk"):
        return None
    return {("stage__order",): False, ("-stage__order",): True}.get(order[:-2])


def page_ids(*, queryset: QuerySet[Venture], start: int, stop: int) -> QuerySet | list[int]:
    """The ids of rows ``start:stop`` of ``queryset``, for ``pk__in``: a narrow subquery
    that walks the sort's index.

    Sorted by stage, the order is the stage's ``order`` on another table, so the database
    would read and sort every visible venture. Instead the stages are taken in order: each
    order's ventures are counted up to ``stop`` and walked by the (stage, name, id) index,
    and the slice is taken across them. The cost follows the page, not the data."""
    descending = _stage_sort(queryset)
    if descending is None:
        return queryset.values("pk")[start:stop]
    stages_by_order: dict[int, list[int]] = {}
    for order, stage_id in Stage.objects.order_by().values_list("order", "id"):
        stages_by_order.setdefault(order, []).append(stage_id)
    groups = [
        queryset.filter(stage_id__in=ids).order_by("name", "pk")
        for _, ids in sorted(stages_by_order.items(), reverse=descending)
    ]
    slices, seen = [], 0
    for group, count in zip(groups, counts_of_each(groups, stop), strict=True):
        low, high = max(start - seen, 0), min(stop - seen, count)
        if low < high:
            slices.append((group, low, high))
        seen += count
        if seen >= stop:
            break
    return ids_of_slices(slices)


class NarrowPaginator(CappedPaginator):
    """A Paginator whose pages are fetched with ``fetch(queryset=, start=, stop=)``
    (``page_of``, model instances, unless told otherwise), and which counts no further
    than its cap (``more_than`` says when there are more)."""

    def __init__(self, object_list, per_page, *, fetch=page_of, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.fetch = fetch

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(
            self.fetch(queryset=self.object_list, start=bottom, stop=top), number, self
        )


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


def venture_rows(*, queryset: QuerySet[Venture], start: int, stop: int) -> list[VentureRow]:
    """Rows ``start:stop`` of ``queryset`` (in its order) as ``VentureRow``s: the page's
    ids by a narrow query, as in ``page_of``, then those rows with what they show.

    The ids are read first and the rows put in their order here: the rows' query then
    needs no ORDER BY nor the list's filters, which made it the page's costliest to
    compile (Django matches each ordering term against every selected column) and to
    plan (PostgreSQL weighed the joins against the id subquery: ~0.8 ms, now ~0.4)."""
    if stop <= start:
        return []
    ids = page_ids(queryset=queryset, start=start, stop=stop)
    if isinstance(ids, QuerySet):
        ids = [row["pk"] for row in ids]
    if not ids:
        return []
    now, url = timezone.now(), url_for_each("ventures:detail")
    found = {
        row[0]: row
        for row in Venture.objects.filter(pk__in=ids).order_by().values_list(*_ROW_VALUES)
    }
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
                days_in_stage=days_since(entered, now),
                url=url(pk),
            )
        )
    return rows


def venture_get(*, user: User, pk: int) -> tuple[Venture, VentureAccess]:
    """The venture if the user may see it, else 404 (never reveal that it exists), with
    what its pages show: stage, lead and SEiR read with it in one query, its programme
    and legal form from the reference data (``_with_reference``)."""
    # Not ordered: ordered by name (the model's default), PostgreSQL walked the name index
    # to find one id (2-3 ms at 10,000 ventures instead of 0.1); ordered by the key, Django
    # spent ~0.5 ms hashing the 72 selected columns to match the ORDER BY against them.
    found = list(
        Venture.objects.filter(pk=pk).select_related("stage", "lead", "seir").order_by()[:1]
    )
    if not found:
        raise Http404("No such venture.")
    venture = _with_reference(found[0])
    access = venture_access(user, venture)
    if not access.view:
        raise Http404("No such venture.")
    return venture, access


def _reference() -> tuple[dict[int, Programme], dict[int, LegalForm]]:
    def build():
        return (
            {programme.pk: programme for programme in Programme.objects.all()},
            {form.pk: form for form in LegalForm.objects.all()},
        )

    return refcache.cached("ventures:programmes-and-legal-forms", build)


def _with_reference(venture: Venture) -> Venture:
    """``venture`` with its programme and legal form taken from the reference data
    (``seir.refcache``: every programme and legal form, renewed by any save or deletion
    of either) rather than joined: the two joins made PostgreSQL plan the venture's read
    in ~0.8 ms instead of ~0.3, on every venture page and tab. One missing from the cache
    (written by another database client) is read."""
    programmes, legal_forms = _reference()
    programme = programmes.get(venture.programme_id)
    venture.programme = programme or Programme.objects.get(pk=venture.programme_id)
    if venture.legal_form_id is not None:
        legal_form = legal_forms.get(venture.legal_form_id)
        venture.legal_form = legal_form or LegalForm.objects.get(pk=venture.legal_form_id)
    else:
        venture.legal_form = None
    return venture


def with_relations(*, venture: Venture) -> Venture:
    """``venture`` with what its pages show (stage, programme, lead, SEiR, legal form)
    loaded in one query, unless it was read with them: ``venture_get`` reads them; a
    venture reached another way (a checklist item's) may not have them."""
    if "stage" not in venture._state.fields_cache:
        full = for_cards(queryset=Venture.objects.filter(pk=venture.pk)).get()
        venture._state.fields_cache.update(full._state.fields_cache)
    return venture


def venture_list(*, user: User, filters=None) -> VentureFilter:
    """The venture list: visible ventures filtered and sorted by ``filters`` (a
    QueryDict), as a FilterSet (``.qs`` the rows, ``.form`` the filter form)."""
    return VentureFilter(filters or None, queryset=ventures_visible_to(user=user), user=user)


def venture_list_for_team_member(*, user: User) -> QuerySet[Venture]:
    return for_cards(
        queryset=Venture.objects.filter(team__user=user).exclude(status=VentureStatus.CLOSED)
    ).distinct()


def stage_list(*, programme_id: int) -> QuerySet[Stage]:
    return Stage.objects.filter(programme_id=programme_id).order_by("order")


# A stage's transitions, a venture's stage history and its team are a handful of rows,
# sorted here rather than by the query: for an ORDER BY, Django's compiler matches each
# ordering term against every selected column (hashing each column of a joined table,
# ~0.2 ms a query), which costs more than sorting the rows.


def _to_stage_order(transition: StageTransition) -> tuple[int, int]:
    return (transition.to_stage.order, transition.pk)


def transition_list(*, venture: Venture) -> list[StageTransition]:
    """The moves the venture's current stage allows, in the order of the stages they
    lead to."""
    transitions = (
        StageTransition.objects.filter(from_stage_id=venture.stage_id)
        .select_related("to_stage")
        .order_by()
    )
    return sorted(transitions, key=_to_stage_order)


def transition_map(*, stage_ids) -> dict[int, list[StageTransition]]:
    """{from_stage_id: [transition, ...]} in one query (for move menus on the board),
    each list in the order of the stages they lead to."""
    result: dict[int, list[StageTransition]] = {}
    for transition in sorted(
        StageTransition.objects.filter(from_stage_id__in=stage_ids)
        .select_related("to_stage")
        .order_by(),
        key=_to_stage_order,
    ):
        result.setdefault(transition.from_stage_id, []).append(transition)
    return result


@dataclass(frozen=True)
class StageVisit:
    stage: Stage
    entered_at: datetime
    left_at: datetime | None
    days: int
    change: StageChange

    @property
    def is_current(self) -> bool:
        return self.left_at is None


def stage_visit_list(*, venture: Venture) -> list[StageVisit]:
    """Each stage the venture has been in, with dates and days spent, oldest first (the
    stage path shows each visit's stage and whether its gate was overridden)."""
    changes = sorted(
        StageChange.objects.filter(venture=venture).select_related("to_stage").order_by(),
        key=lambda change: (change.changed_at, change.pk),
    )
    now = timezone.now()
    visits = []
    for index, change in enumerate(changes):
        left_at = changes[index + 1].changed_at if index + 1 < len(changes) else None
        visits.append(
            StageVisit(
                stage=change.to_stage,
                entered_at=change.changed_at,
                left_at=left_at,
                days=((left_at or now) - change.changed_at).days,
                change=change,
            )
        )
    return visits


def field_change_list(*, venture: Venture, limit: int = 50) -> list[FieldChange]:
    """The profile history, newest first, each change with who made it and ``is_reverted``
    (whether a later change reverted it).

    A revert is written after the change it reverts (``venture_revert`` reads that change
    first), so it comes before it in this order: when a change is among the newest
    ``limit``, so is any revert of it, and the list itself says which are reverted. An
    ``EXISTS`` per row said the same at twice the cost of the read to build."""
    changes = list(
        FieldChange.objects.filter(venture=venture)
        .select_related("changed_by")
        .order_by("-changed_at", "-id")[:limit]
    )
    reverted = {change.reverts_id for change in changes if change.reverts_id is not None}
    for change in changes:
        change.is_reverted = change.pk in reverted
    return changes


def team_member_list(*, venture: Venture) -> list[TeamMembership]:
    """The venture's team by role, then first name (then when they joined)."""
    return sorted(
        venture.team.select_related("user").order_by(),
        key=lambda member: (member.role, member.user.first_name, member.pk),
    )
