"""A list page whose filters keep few ventures (the capped count came back under the cap)
reads those ventures and sorts them, instead of walking the sort's index and dropping
the rows that fail the filter (seir.paging.sorted_among_few_sql): the same rows in the
same order, whatever the sort, with ties and empty values."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from seir import paging
from ventures import selectors
from ventures.factories import VentureFactory
from ventures.models import Venture

pytestmark = pytest.mark.django_db

SORTS = ["", "name", "-name", "entered", "-entered", "updated", "-updated"]
SORTS += ["activity", "-activity", "stage", "-stage"]
SLICES = [(0, 25), (0, 3), (3, 6), (4, 9), (8, 11), (10, 25), (11, 20)]


@pytest.fixture
def ventures(programme, other_programme):
    """Eleven ventures over three stages: names repeated, the same instants for several,
    and no activity recorded for some (empty values sort together, as the database
    orders them); and two of another programme that a programme filter leaves out."""
    base = timezone.now() - datetime.timedelta(days=30)
    made = []
    for n, (code, name) in enumerate(
        [("idea", "Alder"), ("idea", "Birch"), ("startup", "Alder"), ("growth", "Cedar")]
        + [("idea", "Birch"), ("startup", "Damson"), ("growth", "Alder"), ("idea", "Elm")]
        + [("startup", "Fir"), ("growth", "Birch"), ("idea", "Gorse")]
    ):
        venture = VentureFactory(programme=programme, stage_code=code, name=name, lead=None)
        Venture.objects.filter(pk=venture.pk).update(
            stage_entered_at=base + datetime.timedelta(days=n % 3),
            updated_at=base + datetime.timedelta(days=n % 4),
            last_activity_at=None if n % 3 == 0 else base + datetime.timedelta(days=n % 2),
        )
        made.append(venture)
    for name in ("Alder", "Zelkova"):
        VentureFactory(programme=other_programme, stage_code="idea", name=name, lead=None)
    return made


def _admin() -> User:
    return User.objects.create_user(username="global", password="x" * 12, is_global_admin=True)


@pytest.mark.parametrize("sort", SORTS)
def test_few_rows_sorted_after_reading_them_page_exactly_as_the_database_orders(
    ventures, programme, sort
):
    queryset = selectors.venture_list(
        user=_admin(), filters={"sort": sort, "programme": programme.pk}
    ).qs
    expected = [v.pk for v in queryset]  # the database's own order, every row
    assert len(expected) == 11

    for start, stop in SLICES:
        for few in (True, False):
            rows = selectors.venture_rows(queryset=queryset, start=start, stop=stop, few=few)
            assert [r.pk for r in rows] == expected[start:stop], (start, stop, few)
            page = selectors.page_of(queryset=queryset, start=start, stop=stop, few=few)
            assert [v.pk for v in page] == expected[start:stop], (start, stop, few)


def test_the_list_sorts_few_rows_after_reading_them_and_walks_the_index_past_the_cap(
    monkeypatch, client, seir, ventures
):
    from ventures.views import listing

    client.force_login(seir)
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("ventures:list"), {"sort": "-updated"}).content.decode()
    assert "11 ventures match the filters." in page
    assert sum(" AS few ORDER BY " in q["sql"] for q in few.captured_queries) == 1

    # past the cap the rows are not all counted: the page walks the sort's index
    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 5)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("ventures:list"), {"sort": "-updated"}).content.decode()
    assert "More than 5 ventures match the filters." in page
    assert not any(" AS few " in q["sql"] for q in many.captured_queries)


def test_an_order_not_of_the_models_own_columns_is_left_to_the_index_walk(ventures):
    assert paging.sorted_among_few_sql(Venture.objects.order_by("stage__order"), 0, 5) is None
    assert paging.sorted_among_few_sql(Venture.objects.order_by("lead"), 0, 5) is None
    assert paging.sorted_among_few_sql(Venture.objects.order_by("?"), 0, 5) is None
    assert paging.sorted_among_few_sql(Venture.objects.order_by(), 0, 5) is None
    assert paging.sorted_among_few_sql(Venture.objects.order_by("name").distinct(), 0, 5) is None
    # the ids then come by the walk, as before
    walked = paging.ids_of_slices([(Venture.objects.order_by("stage__order", "pk"), 0, 3, True)])
    assert walked == list(
        Venture.objects.order_by("stage__order", "pk").values_list("pk", flat=True)[:3]
    )


def test_few_rows_sorted_by_stage_are_read_and_sorted_in_one_statement(client, seir, ventures):
    """Not counted stage by stage: for a search each stage's count scanned the table,
    hoping to stop early (docs/performance.md §39)."""
    client.force_login(seir)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("ventures:list"), {"sort": "-stage"})

    assert "11 ventures match the filters." in response.content.decode()
    rows = [(row.stage, row.name) for row in response.context["page"].object_list]
    assert rows == [
        ("Growth", "Alder"),
        ("Growth", "Birch"),
        ("Growth", "Cedar"),
        ("Start-up", "Alder"),
        ("Start-up", "Damson"),
        ("Start-up", "Fir"),
        ("Idea", "Alder"),
        ("Idea", "Birch"),
        ("Idea", "Birch"),
        ("Idea", "Elm"),
        ("Idea", "Gorse"),
    ]
    sqls = [q["sql"] for q in captured.captured_queries]
    assert sum(" AS few ORDER BY " in sql for sql in sqls) == 1
    assert not any("counted_0" in sql for sql in sqls)
