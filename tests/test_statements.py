"""seir.statements: on PostgreSQL a prepared query is also a server-side prepared
statement, prepared once per connection in the same round trip as its first run, and
whatever happens to the statement on the server a query still gives its rows."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Case, IntegerField, Sum, Value, When
from django.db.utils import DatabaseError
from django.test.utils import CaptureQueriesContext, override_settings

from seir import statements
from seir.prepared import prepared, prepared_sql
from ventures.factories import VentureFactory
from ventures.models import Venture

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="server-side statements are PostgreSQL's"
    ),
]


@prepared
def _names(pks):
    return Venture.objects.filter(pk__in=pks).order_by("name").values_list("name", flat=True)


@prepared_sql
def _count_named(name):
    return "SELECT COUNT(*) FROM ventures_venture WHERE name LIKE %s || '%%'", (name,)


@prepared_sql
def _bare_value(value):
    # A value with nothing to give it a type: the server would type it as text.
    return "SELECT %s AS x", (value,)


def _sent(work) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        result = work()
    return result, [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def ventures():
    return [VentureFactory(name=name) for name in ("Beta", "Alpha", "Gamma")]


def _forget():
    connections[DEFAULT_DB_ALIAS].__dict__.pop("seir_statements", None)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")


def test_the_first_run_prepares_in_the_same_query_and_later_runs_execute(ventures):
    _forget()
    pks = [ventures[0].pk, ventures[1].pk]

    first, sent_first = _sent(lambda: _names(pks))
    second, sent_second = _sent(lambda: _names([ventures[2].pk, ventures[1].pk]))

    assert first == ["Alpha", "Beta"] and second == ["Alpha", "Gamma"]
    assert len(sent_first) == 1 and sent_first[0].startswith("PREPARE seir_")
    name = sent_first[0].split()[1]
    assert sent_first[0].endswith(f"; EXECUTE {name} ({pks[0]}, {pks[1]})")
    assert sent_second == [f"EXECUTE {name} ({ventures[2].pk}, {ventures[1].pk})"]


def test_a_percent_sign_in_the_sql_reaches_the_server_as_one(ventures):
    _forget()
    assert _count_named("Al") == [(1,)]
    assert _count_named("G") == [(1,)]  # executed this time


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reference_data_restored")
def test_a_new_connection_prepares_afresh(ventures):
    _names([ventures[0].pk])
    connection.close()

    # the new connection's first query (it opens the connection) prepares the statement,
    # and the next query finds it
    assert connections[DEFAULT_DB_ALIAS].connection is None
    with connection.execute_wrapper(
        lambda execute, sql, *args: sent.append(sql) or execute(sql, *args)
    ):
        sent = []
        rows = _names([ventures[0].pk])
        again = _names([ventures[1].pk])

    assert rows == ["Beta"] and again == ["Alpha"]
    assert sent[0].startswith("PREPARE ")
    assert sent[1] == f"EXECUTE {sent[0].split()[1]} (%s)"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reference_data_restored")
def test_a_statement_the_server_dropped_is_prepared_again_outside_a_transaction(ventures):
    assert not connection.in_atomic_block
    _names([ventures[0].pk])
    with connection.connection.cursor() as raw:  # behind Django's back
        raw.execute("DEALLOCATE ALL")

    rows, sent = _sent(lambda: _names([ventures[1].pk]))

    assert rows == ["Alpha"]
    assert sent[0].startswith("EXECUTE ") and sent[1].startswith("PREPARE ")


def test_inside_a_transaction_a_dropped_statement_fails_once_then_is_prepared_again(ventures):
    _names([ventures[0].pk])
    with connection.connection.cursor() as raw:
        raw.execute("DEALLOCATE ALL")

    with pytest.raises(DatabaseError), transaction.atomic():
        _names([ventures[1].pk])

    rows, sent = _sent(lambda: _names([ventures[1].pk]))
    assert rows == ["Alpha"] and sent[0].startswith("PREPARE ")


def test_a_statement_that_failed_as_it_was_prepared_is_never_named_again(ventures):
    _forget()
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            try:
                cursor.execute("SELECT 1/0")  # no savepoint: the transaction is aborted
            except DatabaseError:
                pass
        with CaptureQueriesContext(connection) as failing:
            _names([ventures[0].pk])  # its PREPARE fails with the transaction
    failed_name = failing.captured_queries[0]["sql"].split()[1]

    rows, sent = _sent(lambda: _names([ventures[0].pk]))

    assert rows == ["Beta"] and sent[0].startswith("PREPARE ")
    assert sent[0].split()[1] != failed_name


def test_migrate_drops_every_statement(ventures):
    _names([ventures[0].pk])

    call_command("migrate", verbosity=0)

    assert "seir_statements" not in connections[DEFAULT_DB_ALIAS].__dict__
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_prepared_statements")
        assert cursor.fetchone() == (0,)
    rows, sent = _sent(lambda: _names([ventures[0].pk]))
    assert rows == ["Beta"] and sent[0].startswith("PREPARE ")


@override_settings(SEIR_SERVER_PREPARED=False)
def test_it_can_be_turned_off(ventures):
    rows, sent = _sent(lambda: _names([ventures[0].pk]))
    assert rows == ["Beta"] and sent[0].startswith("SELECT ")


def test_the_test_settings_compare_a_statement_with_its_plain_sql():
    _forget()
    # the plain SQL gives an integer; the statement would give the text "7"
    with pytest.raises(AssertionError, match="gave"):
        _bare_value(7)


def test_the_placeholders_are_numbered_in_order():
    assert statements._numbered("a = %s AND b LIKE 'x%%' AND c IN (%s, %s)") == (
        "a = $1 AND b LIKE 'x%%' AND c IN ($2, $3)",
        3,
    )


@prepared
def _a_names(pk):
    # Constants the query chooses between (CASE ... THEN 1 ELSE 0), summed: as parameters
    # of a statement they have no type, and PostgreSQL has no sum of text.
    is_a = Case(
        When(name__startswith="A", then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return (
        Venture.objects.filter(pk__gte=pk)
        .values_list("name")
        .annotate(a=Sum(is_a))
        .values_list("a", "name")
        .order_by("name")
    )


def test_a_statement_takes_only_the_values_its_constants_written_in(ventures):
    _forget()
    low = min(v.pk for v in ventures)
    # the window's sum is a number, as the plain query's is (and the check compares them)
    rows, sent = _sent(lambda: _a_names(low))
    assert [tuple(r) for r in rows] == [(1, "Alpha"), (0, "Beta"), (0, "Gamma")]
    assert sent[0].startswith("PREPARE ") and "$1" in sent[0] and "$2" not in sent[0]
    assert _a_names(max(v.pk for v in ventures)) == [(0, "Gamma")]


def test_a_query_kept_off_the_server_is_sent_as_its_own_sql(ventures):
    @prepared
    def on_server(pks):
        return Venture.objects.filter(pk__in=pks).values_list("name", flat=True)

    def off(pks):
        return Venture.objects.filter(pk__in=pks).values_list("name", flat=True)

    off_server = prepared(off, server=False)
    _forget()
    pks = [v.pk for v in ventures[:2]]
    # given the same query prepared with and without a server-side statement
    _, sent_on = _sent(lambda: [on_server(pks), on_server(pks)])
    rows, sent_off = _sent(lambda: [off_server(pks), off_server(pks)])
    # then only the first is PREPAREd and EXECUTEd; the other is its plain SQL each time,
    # with the values of each call
    assert sent_on[0].startswith("PREPARE ") and sent_on[1].startswith("EXECUTE ")
    assert all(sql.startswith("SELECT ") for sql in sent_off)
    assert sorted(rows[0]) == sorted(rows[1]) == ["Alpha", "Beta"]
    assert off_server([ventures[2].pk]) == ["Gamma"]
