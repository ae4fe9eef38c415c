"""Sorted by stage, the list walks only the stages of the programmes its rows can be in
(``VentureFilter.programme_ids``, ``page_ids``): for a reader of one programme each stage
order is that programme's one stage, which its index walks in order. Whoever may read a
venture of another programme (a team's, an administrator) keeps every programme's
stages, and the page is the same rows in the same order either way."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.factories import UserFactory, member
from accounts.roles import Role
from ventures.factories import VentureFactory
from ventures.filters import VentureFilter
from ventures.models import Stage, TeamMembership, TeamRole, Venture
from ventures.views.listing import _list_context

pytestmark = pytest.mark.django_db

CODES = ("idea", "startup", "pilot", "growth", "idea", "pilot")


@pytest.fixture
def both(programme, other_programme, seir):
    for i, code in enumerate(CODES):
        VentureFactory(programme=programme, stage_code=code, name=f"Birmingham {9 - i}", seir=seir)
        VentureFactory(programme=other_programme, stage_code=code, name=f"Solihull {i}")
    return programme, other_programme


def listed(user, query: str) -> list[str]:
    request = RequestFactory().get("/ventures/", dict(p.split("=") for p in query.split("&")))
    request.user = user
    return [row.name for row in _list_context(request)["page"].object_list]


def by_hand(programme_ids, *, descending=False) -> list[str]:
    """The list's order worked out here: stage order (descending when asked), then name,
    then id."""
    ventures = Venture.objects.filter(programme_id__in=programme_ids).select_related("stage")
    ordered = sorted(ventures, key=lambda v: (v.name, v.pk))
    ordered.sort(key=lambda v: v.stage.order, reverse=descending)
    return [v.name for v in ordered]


def test_a_reader_of_one_programme_walks_its_stages_alone(monkeypatch, both, seir):
    from ventures.views import listing

    # past the cap, so the stages are counted and walked in turn (fewer rows are read
    # with their stages' order and sorted: test_few_rows_sorted.py)
    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 5)
    programme, other = both
    assert VentureFilter({}, queryset=Venture.objects.all(), user=seir).programme_ids == [
        programme.pk
    ]
    with CaptureQueriesContext(connection) as captured:
        rows = listed(seir, "sort=stage")
    assert rows == by_hand([programme.pk])[:5]
    assert listed(seir, "sort=-stage") == by_hand([programme.pk], descending=True)[:5]
    # each stage order is one id: the other programme's copies are not asked for
    theirs = set(Stage.objects.filter(programme=other).values_list("pk", flat=True))
    ids_sql = next(q["sql"] for q in captured.captured_queries if "UNION ALL" in q["sql"])
    assert not any(f"IN ({pk})" in ids_sql or f", {pk})" in ids_sql for pk in theirs)


def test_whoever_may_read_another_programmes_venture_keeps_every_stage(both, seir):
    programme, other = both
    # a member of the first programme on the team of a venture of the second
    reader = member(programme, Role.MANAGER, username="mina")
    theirs = Venture.objects.get(name="Solihull 2")
    TeamMembership.objects.create(venture=theirs, user=reader, role=TeamRole.MEMBER)
    assert VentureFilter({}, queryset=Venture.objects.all(), user=reader).programme_ids is None
    expected = [n for n in by_hand([programme.pk, other.pk]) if not n.startswith("Solihull")]
    rows = listed(reader, "sort=stage")
    assert "Solihull 2" in rows
    assert [n for n in rows if n != "Solihull 2"] == expected
    # an administrator reads both; narrowed to a programme, only its stages
    admin = UserFactory(username="root", is_global_admin=True)
    assert VentureFilter({}, queryset=Venture.objects.all(), user=admin).programme_ids is None
    assert listed(admin, "sort=stage") == by_hand([programme.pk, other.pk])
    narrowed = VentureFilter(
        {"programme": str(other.pk)}, queryset=Venture.objects.all(), user=admin
    )
    assert narrowed.programme_ids == [other.pk]
    assert listed(admin, f"sort=-stage&programme={other.pk}") == by_hand(
        [other.pk], descending=True
    )
