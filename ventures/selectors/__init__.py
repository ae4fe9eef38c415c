"""Reads. Every query here already applies the caller's permissions.

Selectors are keyword-only ``<entity>_<verb>`` functions (``tests/test_conventions.py``).
Here: who sees which ventures, one venture with what its pages show, the list's filter
set. The list's pages and rows are in ``rows``; a venture's moves, stage history,
profile history and team in ``records``; everything is re-exported here.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Programme, User
from accounts.permissions import user_is_global_admin
from seir.prepared import prepared

from ..filters import VentureFilter
from ..models import LegalForm, Stage, Venture, VentureStatus
from ..permissions import VentureAccess, venture_access, visible_ventures_q
from ..reference import reference
from .records import (
    StageVisit,
    field_change_list,
    stage_list,
    stage_visit_list,
    team_member_list,
    transition_list,
    transition_map,
)
from .rows import (
    ORIGIN_LABELS,
    STATUS_LABELS,
    NarrowPaginator,
    VentureRow,
    page_ids,
    page_of,
    person_name,
    venture_rows,
)

__all__ = [
    "ORIGIN_LABELS",
    "STATUS_LABELS",
    "NarrowPaginator",
    "StageVisit",
    "VentureRow",
    "field_change_list",
    "for_cards",
    "page_ids",
    "page_of",
    "person_name",
    "stage_list",
    "stage_visit_list",
    "team_member_list",
    "transition_list",
    "transition_map",
    "venture_get",
    "venture_list",
    "venture_list_for_team_member",
    "venture_rows",
    "ventures_visible_to",
    "with_reference",
    "with_relations",
]


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


def venture_get(*, user: User, pk: int) -> tuple[Venture, VentureAccess]:
    """The venture if the user may see it, else 404 (never reveal that it exists), with
    what its pages show: lead and SEiR read with it in one query, its stage, programme
    and legal form from the reference data (``with_reference``)."""
    # Not ordered: ordered by name (the model's default), PostgreSQL walked the name index
    # to find one id (2-3 ms at 10,000 ventures instead of 0.1); ordered by the key, Django
    # spent ~0.5 ms hashing the 72 selected columns to match the ORDER BY against them.
    found = _venture_read(pk)
    if not found:
        raise Http404("No such venture.")
    [venture] = with_reference(ventures=found)
    access = venture_access(user, venture)
    if not access.view:
        raise Http404("No such venture.")
    return venture, access


@prepared
def _venture_read(pk):
    """The venture with its lead and SEiR (a prepared query: seir/prepared.py)."""
    return Venture.objects.filter(pk=pk).select_related("lead", "seir").order_by()[:1]


def with_reference(*, ventures: list[Venture]) -> list[Venture]:
    """``ventures`` with their stage, programme and legal form taken from the reference
    data (``ventures.reference``, renewed by any save or deletion of one of them) rather
    than joined: joins made PostgreSQL plan the venture's read in ~0.8 ms instead of ~0.3,
    on every venture page and tab. One missing from the cache (written by another
    database client) is read."""
    cached = reference()
    # Each found by the venture's own key, so set as a join would set it (the field's
    # cache), without the checks an assignment makes (~3 µs each, three a card).
    meta = Venture._meta
    programme_field, stage_field, form_field = (
        meta.get_field(name) for name in ("programme", "stage", "legal_form")
    )
    for venture in ventures:
        programme = cached.programmes.get(venture.programme_id)
        programme_field.set_cached_value(
            venture, programme or Programme.objects.get(pk=venture.programme_id)
        )
        stage = cached.stages.get(venture.stage_id)
        stage_field.set_cached_value(venture, stage or Stage.objects.get(pk=venture.stage_id))
        if venture.legal_form_id is not None:
            legal_form = cached.legal_forms.get(venture.legal_form_id)
            form_field.set_cached_value(
                venture, legal_form or LegalForm.objects.get(pk=venture.legal_form_id)
            )
        else:
            form_field.set_cached_value(venture, None)
    return ventures


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
