"""The pipeline board: columns of cards, "show more", one card refreshed after a move."""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from accounts.permissions import runs_programme
from accounts.selectors import programmes_visible_to
from seir import paging
from seir.dates import days_since_each
from seir.jinja2 import render_fragment
from seir.links import url_for_each
from seir.params import query_int
from seir.prepared import prepared, prepared_sql

from .. import gates, selectors
from ..models import Stage, Venture, VentureStatus
from ..permissions import (
    VentureAccess,
    can_move,
    can_see_pipeline,
    literal_visibility_q,
    visible_ids,
)
from ..reference import visible_programmes

# Cards per column at first and per "show more": what fits a screen. Each card costs
# rendering, so the board's cost follows this, not the number of ventures.
BOARD_PAGE_SIZE = 10
# A column counts its cards up to this many ("1,000+" past it), so counting costs the
# same whatever the number of ventures.
BOARD_COUNT_CAP = paging.COUNT_CAP


def _cards(ids, now, *, user, can_manage: bool, board_url: str):
    """The cards of the ventures ``ids`` (the columns' ids, read in one round trip),
    grouped by stage id, with what a card shows. A fixed number of queries for the whole
    board: the cards in one, the gates and the moves in a few."""
    # Sorted here (Django's compiler matches each ordering term against every selected
    # column, which costs more than sorting 50 rows), as PostgreSQL sorts the columns'
    # ids: no date last; the stage and the legal form from the reference data.
    ventures = selectors.with_reference(
        ventures=sorted(
            _cards_by_id(ids),
            key=_card_order,
        )
    )
    statuses = gates.gate_status_many(ventures, detail=False, shown=True)  # met or not
    transitions = selectors.transition_map(stage_ids={v.stage_id for v in ventures})
    # The whole board is one programme: whether the person runs it answers for every card.
    access = VentureAccess(view=True, manage=can_manage)
    detail_url, move_url, card_url = (
        url_for_each(name) for name in ("ventures:detail", "ventures:move", "ventures:card")
    )
    back = urlencode({"next": board_url})
    days_since = days_since_each(now)
    by_stage: dict[int, list] = {}
    for venture in ventures:
        venture.gate = statuses[venture.pk]
        venture.days_in_stage = days_since(venture.stage_entered_at)
        moves = transitions.get(venture.stage_id, [])
        venture.can_move = bool(moves) and can_move(user, venture, access)
        move = move_url(venture.pk)
        venture.urls = {
            "detail": detail_url(venture.pk),
            "move": move,
            "card": card_url(venture.pk),
        }
        venture.move_links = [(f"{move}?to={t.to_stage_id}&{back}", t.to_stage.name) for t in moves]
        by_stage.setdefault(venture.stage_id, []).append(venture)
    return by_stage


@prepared
def _cards_by_id(ids):
    """The cards' ventures with their leads, unordered (seir/prepared.py)."""
    return Venture.objects.filter(pk__in=ids).select_related("lead").order_by()


_NO_DATE = datetime.min.replace(tzinfo=UTC)


def _card_order(venture: Venture) -> tuple:
    entered = venture.stage_entered_at
    return (entered is None, entered or _NO_DATE, venture.pk)


def _board_url(request) -> str:
    """Where a move started from a card returns to: the board page the person is on."""
    board = reverse("ventures:board")
    if request.htmx and request.htmx.current_url_abs_path:
        path = request.htmx.current_url_abs_path
        if path.startswith(board):
            return path
    return board


def _column_queryset(request, stage_id: int):
    return _in_column(selectors.ventures_visible_to(user=request.user), stage_id)


def _in_column(queryset, stage_id: int):
    return (
        queryset.filter(stage_id=stage_id)
        .exclude(status=VentureStatus.CLOSED)
        .order_by("stage_entered_at", "pk")
    )


def _columns_read(request, stages) -> tuple[list[int], list[int]]:
    """Each column's count (capped) and the ids of its first cards: two round trips,
    prepared (seir/prepared.py) when the person's visibility is written out as ids."""
    literal = visible_ids(request.user)
    if literal is None:
        querysets = [_column_queryset(request, stage.pk) for stage in stages]
        counts = paging.counts_of_each(querysets, BOARD_COUNT_CAP)
        return counts, paging.ids_of_each(querysets, 0, BOARD_PAGE_SIZE)
    if not stages or not any(literal):  # no column, or sees no venture: nothing to read
        return [0] * len(stages), []
    stage_ids = [stage.pk for stage in stages]
    counts = [count for _, count in _column_counts(*literal, stage_ids, cap=BOARD_COUNT_CAP)]
    ids = [pk for (pk,) in _column_ids(*literal, stage_ids, stop=BOARD_PAGE_SIZE)]
    return counts, ids


def _literal_column(programme_ids, venture_ids, stage_id):
    return _in_column(
        Venture.objects.filter(literal_visibility_q(programme_ids, venture_ids)), stage_id
    )


@prepared_sql
def _column_counts(programme_ids, venture_ids, stage_ids, *, cap):
    return paging.counts_sql(
        [_literal_column(programme_ids, venture_ids, stage_id) for stage_id in stage_ids], cap
    )


@prepared_sql
def _column_ids(programme_ids, venture_ids, stage_ids, *, stop):
    return paging.ids_sql(
        [(_literal_column(programme_ids, venture_ids, stage_id), 0, stop) for stage_id in stage_ids]
    )


@require_GET
def board(request):
    if not can_see_pipeline(request.user):
        raise Http404("No such page.")
    return render(request, "ventures/board.html", _board_context(request))


def _board_context(request) -> dict:
    programmes = visible_programmes(request.user)
    if not programmes:
        return {"programmes": [], "columns": []}
    programme = next(
        (p for p in programmes if str(p.pk) == request.GET.get("programme")), programmes[0]
    )
    stages = selectors.stage_list(programme_id=programme.pk)
    counts, ids = _columns_read(request, stages)
    can_manage = runs_programme(request.user, programme.pk)
    cards = _cards(
        ids,
        timezone.now(),
        user=request.user,
        can_manage=can_manage,
        board_url=request.get_full_path(),
    )
    columns = [
        {
            "stage": stage,
            "cards": cards.get(stage.pk, []),
            "count": count,
            "more_than": BOARD_COUNT_CAP if count > BOARD_COUNT_CAP else None,
            "count_text": f"{intcomma(BOARD_COUNT_CAP)}+"
            if count > BOARD_COUNT_CAP
            else str(count),
        }
        for stage, count in zip(stages, counts, strict=True)
    ]
    return {
        "programmes": programmes,
        "programme": programme,
        "columns": columns,
        "page_size": BOARD_PAGE_SIZE,
        "can_manage": can_manage,
    }


@require_GET
def board_column(request, stage_id: int):
    if not can_see_pipeline(request.user):
        raise Http404("No such page.")
    stage = get_object_or_404(
        Stage, pk=stage_id, programme__in=programmes_visible_to(user=request.user)
    )
    offset = query_int(request.GET, "offset", default=0)
    queryset = _column_queryset(request, stage.pk)
    has_more = paging.count_up_to(queryset, offset + BOARD_PAGE_SIZE) > offset + BOARD_PAGE_SIZE
    can_manage = runs_programme(request.user, stage.programme_id)
    cards = _cards(
        paging.ids_of_each([queryset], offset, offset + BOARD_PAGE_SIZE),
        timezone.now(),
        user=request.user,
        can_manage=can_manage,
        board_url=_board_url(request),
    )
    return HttpResponse(
        render_fragment(
            "ventures/board_more.jinja",
            {
                "cards": cards.get(stage.pk, []),
                "stage": stage,
                "next_offset": offset + BOARD_PAGE_SIZE,
                "has_more": has_more,
            },
        )
    )


@require_GET
def venture_card(request, pk: int):
    """One board card (refreshed after a drag-and-drop move)."""
    venture, _ = selectors.venture_get(user=request.user, pk=pk)  # 404 unless visible
    can_manage = runs_programme(request.user, venture.programme_id)
    cards = _cards(
        paging.ids_of_each(
            [selectors.ventures_visible_to(user=request.user).filter(pk=pk)], 0, BOARD_PAGE_SIZE
        ),
        timezone.now(),
        user=request.user,
        can_manage=can_manage,
        board_url=_board_url(request),
    )
    return HttpResponse(
        render_fragment("ventures/board_cards.jinja", {"cards": cards[venture.stage_id][:1]})
    )
