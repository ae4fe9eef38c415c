"""The indexes the venture list walks in its sorts' order hold the columns its filters
test (migration 0017, ``ventures.list_indexes``): a page deep in the list, with
filters that drop most of the ventures walked, is read from the index alone, not from a
table row for every venture before the page's end; and it is still the right page
(docs/performance.md §39)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ventures.list_indexes import LIST_FILTERED
from ventures.models import Origin, Stage, Venture, VentureStatus

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the plans checked are PostgreSQL's"
    ),
    # VACUUM, as autovacuum would (the index alone answers only for pages it marked
    # all-visible), runs outside a transaction
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # an earlier transactional test may have flushed the migrations' stages
    pytest.mark.usefixtures("reference_data_restored"),
]


@pytest.fixture
def many(programme, other_programme, stages):
    """4,400 ventures of the programme, one in four from the community (1,100: more
    than the list counts, so its pages walk the sort's index rather than reading the
    few and sorting them), and 500 of the other programme's, whose names sort among
    them."""
    ventures = [
        Venture(
            programme=programme,
            stage=stages["idea" if i % 2 else "startup"],
            name=f"Venture {i:04}",
            search_text=f"venture {i:04}",
            origin=Origin.COMMUNITY if i % 4 == 0 else Origin.NHS_STAFF,
            status=VentureStatus.ACTIVE,
        )
        for i in range(4400)
    ]
    other_idea = Stage.objects.get(programme=other_programme, code="idea")
    ventures += [
        Venture(
            programme=other_programme,
            stage=other_idea,
            name=f"Venture {i:04} elsewhere",
            search_text="elsewhere",
            origin=Origin.COMMUNITY,
        )
        for i in range(0, 2000, 4)
    ]
    Venture.objects.bulk_create(ventures)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ventures_venture")
    return ventures


def _page(client, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("ventures:list"), params)
    assert response.status_code == 200
    return response, [q["sql"] for q in captured.captured_queries]


def _index_plan(sql: str) -> str:
    """The plan PostgreSQL makes for ``sql`` if it walks an index in the sort's order: in
    a table this small it would rather read the rows and sort them (at 10,000 ventures it
    walks), and whether the index alone answers the walk is the question here (a
    covering index's scan is an Index Only Scan, any other's not)."""
    settings = ("enable_seqscan", "enable_bitmapscan", "enable_sort")
    with connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET {setting} = off")
        try:
            cursor.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            for setting in settings:
                cursor.execute(f"RESET {setting}")


def test_each_sorts_index_holds_what_the_list_tests_and_sorts_by():
    indexes = {index.name: index for index in Venture._meta.indexes}
    for name in (
        "venture_name_id_idx",
        "venture_entered_id_idx",
        "venture_updated_id_idx",
        "venture_last_activity",
        "venture_stage_name_id_idx",
    ):
        index = indexes[name]
        assert sorted([*index.fields, *index.include]) == sorted({*LIST_FILTERED, *index.fields})
        assert index.fields[-1] == "id"


@pytest.mark.parametrize(
    ("params", "index", "first"),
    [
        ({"page": 30}, "venture_name_id_idx", 725),
        ({"origin": Origin.COMMUNITY, "page": 20}, "venture_name_id_idx", 1900),
        (
            {"sort": "-updated", "origin": Origin.COMMUNITY, "page": 20},
            "venture_updated_id_idx",
            None,
        ),
        (
            {"sort": "entered", "status": VentureStatus.ACTIVE, "page": 30},
            "venture_entered_id_idx",
            None,
        ),
        (
            {"sort": "activity", "origin": Origin.NHS_STAFF, "page": 30},
            "venture_last_activity",
            None,
        ),
    ],
)
def test_a_deep_page_reads_the_sorts_index_alone(client, seir, many, params, index, first):
    client.force_login(seir)
    response, sqls = _page(client, **params)

    rows = response.context["page"].object_list
    assert len(rows) == 25
    assert all(row.programme == "Birmingham East and North SEiR programme" for row in rows)
    if params.get("origin"):
        assert all(row.origin == params["origin"] for row in rows)
    if first is not None:  # by name: the page's names worked out here
        assert rows[0].name == f"Venture {first:04}"
        assert [row.name for row in rows] == sorted(row.name for row in rows)
    offset = f"OFFSET {(params['page'] - 1) * 25}"
    (sql,) = [sql for sql in sqls if offset in sql]
    plan = _index_plan(sql)
    scans = [line for line in plan.splitlines() if index in line]
    assert len(scans) == 1 and "Index Only Scan" in scans[0], plan


def test_the_boards_column_query_planned_once_reads_each_column_by_its_stage(
    client, many, programme, other_programme
):
    """The board's column ids are a prepared statement (``ventures.views.board``), which
    PostgreSQL may plan once for any stage. With only the day-entered index covering,
    that plan walked it for each column, the stage a filter: a column of two ventures
    read every entry (9 ms of PostgreSQL for a PCT manager's board of a small
    programme). With the column's index covering too, each column is read by its stage."""
    from accounts.models import ProgrammeMembership, User
    from accounts.roles import Role

    reader = User.objects.create_user(username="reads-both", password="x" * 12)
    for each in (programme, other_programme):
        ProgrammeMembership.objects.create(user=reader, programme=each, role=Role.MANAGER)
    client.force_login(reader)
    assert (
        client.get(reverse("ventures:board"), {"programme": other_programme.pk}).status_code == 200
    )
    stages = list(Stage.objects.filter(programme=other_programme).order_by("order"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%ORDER BY "ventures_venture"."stage_entered_at" ASC, 1 ASC LIMIT 10%'],
        )
        (name,) = [row[0] for row in cursor.fetchall()]
        values = []
        for stage in stages:
            values += [
                min(programme.pk, other_programme.pk),
                max(programme.pk, other_programme.pk),
                stage.pk,
            ]
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        try:
            cursor.execute(f"EXPLAIN EXECUTE {name} ({', '.join(['%s'] * len(values))})", values)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET plan_cache_mode")

    assert "venture_entered_id_idx" not in plan, plan
    assert plan.count("Index Cond: (stage_id = $") == len(stages), plan
