"""A list whose filters keep many ventures that may cluster along the sort (a search, a
stage) walks the sort's index only so far, then reads every row the filters keep and
sorts them (seir.paging.walk_then_sort_sql): the same rows in the same order as the
database's own, whether the walk found the page or came back short; and a stage is
found by its ids without losing a stage the reference data has not heard of."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from seir import paging
from ventures import selectors
from ventures.factories import VentureFactory
from ventures.models import Stage, Venture

pytestmark = pytest.mark.django_db

SLICES = [(0, 25), (0, 3), (3, 6), (4, 9), (10, 14), (18, 25)]
STAGES = ("idea", "startup")


@pytest.fixture
def ventures(programme, other_programme):
    """Twenty ventures over two stages whose names cluster: the "sutton" ones all sort
    after the others, with names repeated; three of another programme. Every searched
    text is written here (the factory's random town could be a "Sutton")."""
    made = []
    words = {"summary": "A community project.", "need": "Premises."}
    for n in range(12):
        made.append(
            VentureFactory(
                programme=programme,
                name=f"Acorn {n % 4}",
                area="Aston",
                stage_code=STAGES[n % 2],
                lead=None,
                **words,
            )
        )
    for n in range(8):
        name = f"Sutton {'Park' if n % 2 else 'Green'} {n % 3}"
        made.append(
            VentureFactory(
                programme=programme,
                name=name,
                area="Sutton",
                stage_code=STAGES[n % 3 % 2],
                **words,
            )
        )
    for n in range(3):
        VentureFactory(programme=other_programme, name=f"Sutton {n}", area="Sutton", lead=None)
    return made


def _admin() -> User:
    return User.objects.create_user(username="global", password="x" * 12, is_global_admin=True)


@pytest.mark.parametrize("sort", ["", "name", "-name", "updated", "-updated", "stage", "-stage"])
@pytest.mark.parametrize("q", ["sutton", "acorn", ""])
@pytest.mark.parametrize("walk", [1, 40])
def test_the_page_is_the_databases_own_whether_the_walk_finds_it_or_gives_up(
    monkeypatch, ventures, programme, sort, q, walk
):
    # walk=1: the walk covers as many rows of the table as the page's end, so for the
    # "sutton" ventures (sorted after every other) it comes back short and the rows are
    # read and sorted; walk=40 covers the whole table and finds them
    monkeypatch.setattr(paging, "WALK_ROWS_PER_ROW", walk)
    queryset = selectors.venture_list(
        user=_admin(), filters={"sort": sort, "q": q, "programme": programme.pk}
    ).qs
    expected = [v.pk for v in queryset]  # the database's own order, every row
    assert len(expected) == {"sutton": 8, "acorn": 12, "": 20}[q]

    for start, stop in SLICES:
        rows = selectors.venture_rows(queryset=queryset, start=start, stop=stop, spread=False)
        assert [r.pk for r in rows] == expected[start:stop], (start, stop)


def test_a_walk_that_gives_up_reads_the_rest_and_one_that_does_not_stops(
    monkeypatch, ventures, programme
):
    monkeypatch.setattr(paging, "WALK_ROWS_PER_ROW", 1)
    clustered = Venture.objects.filter(name__startswith="Sutton", programme=programme)
    queryset = clustered.order_by("name", "pk")
    sql, params = paging.walk_then_sort_sql(queryset, 0, 5)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS page", params)  # noqa: S608
        assert cursor.fetchone()[0] == 5  # not 5 from the walk and 5 from the sort
    expected = list(queryset.values_list("pk", flat=True)[:5])
    assert paging.ids_of_slices([(queryset, 0, 5, False, True)]) == expected


def test_an_order_it_cannot_bound_is_left_to_the_whole_walk(ventures):
    # a column that may be empty (PostgreSQL sorts empty values first when descending)
    assert paging.walk_then_sort_sql(Venture.objects.order_by("-stage_entered_at"), 0, 5) is None
    # directions mixed (a row comparison bounds one direction)
    assert paging.walk_then_sort_sql(Venture.objects.order_by("-updated_at", "pk"), 0, 5) is None
    # not the model's own column
    assert paging.walk_then_sort_sql(Venture.objects.order_by("stage__order"), 0, 5) is None
    # ...and the ids then come by the walk, as before
    walked = paging.ids_of_slices([(Venture.objects.order_by("-updated_at", "pk"), 0, 3, 0, 1)])
    assert walked == list(
        Venture.objects.order_by("-updated_at", "pk").values_list("pk", flat=True)[:3]
    )


def test_the_list_bounds_its_walk_for_a_search_or_a_stage_past_the_cap_only(
    monkeypatch, client, seir, ventures
):
    from ventures.views import listing

    client.force_login(seir)
    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 5)

    def ids_sql(**params) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("ventures:list"), params)
        return [q["sql"] for q in queries.captured_queries if "page_pk" in q["sql"]]

    assert any("WITH walk AS" in sql for sql in ids_sql(q="sutton"))
    assert any("WITH walk AS" in sql for sql in ids_sql(stage="idea", sort="updated"))
    # one stage by name: its own index walks it in order (test_one_stage_in_order.py)
    assert not ids_sql(stage="idea")
    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 3)  # fewer than the first stage's five
    assert any("WITH walk AS" in sql for sql in ids_sql(q="sutton", sort="stage"))
    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 5)
    assert not ids_sql(origin="community")  # filters with no index of their own: the walk
    assert not ids_sql()
    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 1000)
    assert not any("WITH walk AS" in sql for sql in ids_sql(q="sutton"))  # few: sorted


def test_a_stage_is_found_by_its_code_whatever_the_reference_data_holds(
    client, programme, ventures
):
    """The filter writes in the ids of the stages the reference data knows, and any
    newer one: a stage written since without Django's signals is still found, and one
    recoded elsewhere is not taken for what it was."""
    import datetime

    from accounts.factories import ProgrammeFactory
    from accounts.models import Programme

    client.force_login(_admin())

    def listed(code: str) -> set[int]:
        page = client.get(reverse("ventures:list"), {"stage": code, "sort": "name"})
        assert page.status_code == 200
        return {row.pk for row in page.context["page"].object_list}

    others = set(Venture.objects.exclude(programme=programme).values_list("pk", flat=True))
    ideas = {v.pk for v in ventures if v.stage.code == "idea"}
    assert len(others) == 3 and len(ideas) == 11  # the other programme's are all ideas
    assert listed("idea") == ideas | others  # and the reference data is now cached

    # a programme and its stage bulk-loaded (no signals: the cached data knows neither)
    loaded = ProgrammeFactory.build(name="Loaded")
    loaded.end_date = loaded.start_date + datetime.timedelta(days=365)
    Programme.objects.bulk_create([loaded])
    (new_idea,) = Stage.objects.bulk_create(
        [Stage(programme=loaded, code="idea", name="Idea", order=1)]
    )
    moved = next(v for v in ventures if v.stage.code == "startup")
    Venture.objects.filter(pk=moved.pk).update(programme=loaded, stage=new_idea)
    assert listed("idea") == ideas | others | {moved.pk}

    # the first programme's idea stage recoded the same way: its ventures are no longer
    # in "idea", the bulk-loaded one's still are
    Stage.objects.filter(programme=programme, code="idea").update(code="thought")
    assert listed("idea") == {moved.pk} | others
