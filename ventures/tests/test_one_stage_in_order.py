"""A list filtered to one stage, for a reader of one programme: the stage's id is all
there is to match (``ventures.reference.stage_ids_of``), so the filter has no ``OR`` for
stages the reference data has not heard of, and sorted by name (or by stage, then
name) its page comes off the (stage, name, id) index in order, which holds the columns
the other filters test (migration 0017): no walk that gives up, no sort of the stage's
every venture. The rows are the database's own whatever the path; a reader of any
programme keeps the guard (docs/performance.md §39)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import ProgrammeFactory
from ventures import reference, selectors
from ventures.factories import VentureFactory
from ventures.models import Stage, Venture, VentureStatus
from ventures.views import listing

pytestmark = pytest.mark.django_db

SLICES = [(0, 25), (0, 3), (3, 6), (4, 9), (10, 14), (18, 25)]


@pytest.fixture
def ventures(programme, other_programme, stages):
    """Fourteen ideas and six start-ups of the programme, names repeated so the id
    breaks ties, two of them paused; three ideas of the other programme."""
    made = [
        VentureFactory(
            programme=programme,
            name=f"Acorn {n % 5}",
            stage_code="idea" if n < 14 else "startup",
            status=VentureStatus.PAUSED if n in (3, 8) else VentureStatus.ACTIVE,
        )
        for n in range(20)
    ]
    for n in range(3):
        VentureFactory(programme=other_programme, name=f"Other {n}", stage_code="idea")
    return made


def test_the_ids_of_one_programmes_stage_are_all_there_are(programme, other_programme, stages):
    other_idea = Stage.objects.get(programme=other_programme, code="idea")

    assert reference.stage_ids_of("idea", [programme.pk]) == ([stages["idea"].pk], True)
    both = sorted([stages["idea"].pk, other_idea.pk])
    assert reference.stage_ids_of("idea", [programme.pk, other_programme.pk]) == (both, True)
    # any programme: one written since (no new version) may hold the code too
    assert reference.stage_ids_of("idea", None) == (both, False)
    # a programme with no stage of that code may be given one by another client
    bare = ProgrammeFactory(name="No stages yet")
    Stage.objects.filter(programme=bare).delete()
    assert reference.stage_ids_of("idea", [programme.pk, bare.pk]) == ([stages["idea"].pk], False)
    assert reference.stage_ids_of("no-such-code", [programme.pk]) == ([], False)


@pytest.mark.parametrize("sort", ["", "name", "-name", "stage", "-stage", "entered", "updated"])
@pytest.mark.parametrize("status", ["", VentureStatus.ACTIVE])
def test_one_stages_page_is_the_databases_own_order(ventures, seir, sort, status):
    venture_filter = selectors.venture_list(
        user=seir, filters={"stage": "idea", "sort": sort, "status": status}
    )
    queryset = venture_filter.qs
    expected = list(queryset.values_list("pk", flat=True))  # every row, the database's order
    assert len(expected) == (12 if status else 14)
    assert venture_filter.may_cluster is (sort == "updated")

    for start, stop in SLICES:
        rows = selectors.venture_rows(
            queryset=queryset,
            start=start,
            stop=stop,
            spread=not venture_filter.may_cluster,
            programme_ids=venture_filter.programme_ids,
        )
        assert [r.pk for r in rows] == expected[start:stop], (start, stop)


def test_a_reader_of_one_programme_has_no_guard_and_no_walk(monkeypatch, client, seir, ventures):
    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 5)  # past the cap: the rows are many
    client.force_login(seir)

    def queries(**params) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("ventures:list"), params)
        assert response.status_code == 200
        return [q["sql"] for q in captured.captured_queries if "ventures_stage" in q["sql"]]

    for sort in ("", "-name", "stage", "entered"):
        sql = " ".join(queries(stage="idea", sort=sort, page=2))
        assert '"stage_id" >' not in sql, sort
        assert "WITH walk AS" not in sql, sort
    # sorted by what no index begins with the stage for: the walk that gives up
    assert "WITH walk AS" in " ".join(queries(stage="idea", sort="updated", page=2))


def test_a_reader_of_any_programme_keeps_the_guard(monkeypatch, client, administrator, ventures):
    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 5)
    client.force_login(administrator)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("ventures:list"), {"stage": "idea"})

    assert response.status_code == 200
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert '"stage_id" >' in sql
    assert "WITH walk AS" in sql
    assert len(response.context["page"].object_list) == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan checked is PostgreSQL's")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # VACUUM: outside one
@pytest.mark.usefixtures("reference_data_restored")  # stages an earlier flush removed
def test_a_page_deep_in_a_stage_reads_the_index_alone(client, seir, programme, stages):
    ideas = [
        Venture(
            programme=programme,
            stage=stages["idea"],
            name=f"Idea {i:04}",
            search_text=f"idea {i:04}",
            status=VentureStatus.ACTIVE,
        )
        for i in range(2000)
    ]
    Venture.objects.bulk_create(ideas)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ventures_venture")
    client.force_login(seir)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("ventures:list"), {"stage": "idea", "page": 30})

    rows = response.context["page"].object_list
    assert [row.name for row in rows] == [f"Idea {i:04}" for i in range(725, 750)]
    (sql,) = [q["sql"] for q in captured.captured_queries if "OFFSET 725" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # walked in order (no sort of the stage's every venture) by an index alone: the
    # stage's own, or here, where every venture is an idea, the name's as well
    assert "Index Only Scan using venture_" in plan and "Sort" not in plan, plan
