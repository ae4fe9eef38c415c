"""seir.prepared: a query built and compiled once per connection and shape gives, for
any values, the rows the plain queryset gives, and refuses what it cannot prepare."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.db.models import Q
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from accounts.factories import UserFactory
from seir.prepared import PreparedQueryError, attach, prepared
from ventures.factories import VentureFactory
from ventures.models import FieldChange, Venture

pytestmark = pytest.mark.django_db


@prepared
def _by_pk(pk):
    return Venture.objects.filter(pk=pk).select_related("lead", "seir").order_by()[:1]


@prepared
def _names(pks, *, limit):
    return (
        Venture.objects.filter(pk__in=pks).order_by("name").values_list("name", flat=True)[:limit]
    )


@prepared
def _by_lead(lead_id):
    return Venture.objects.filter(lead_id=lead_id).order_by("pk").values_list("pk", flat=True)


@prepared
def _created_since(pk, since):
    return Venture.objects.filter(pk=pk, created_at__gte=since).values_list("pk", flat=True)


@pytest.fixture
def ventures():
    return [VentureFactory(name=name) for name in ("Beta", "Alpha", "Gamma")]


def test_each_call_gives_the_rows_of_its_own_values(ventures):
    # given the prepared read of a venture, first called for one venture
    [first] = _by_pk(ventures[0].pk)
    # when called for another
    [second] = _by_pk(ventures[1].pk)
    # then each is the venture asked for, with its select_related rows as Django reads them
    assert (first.pk, first.name) == (ventures[0].pk, "Beta")
    assert (second.pk, second.name) == (ventures[1].pk, "Alpha")
    assert second.lead == ventures[1].lead
    assert _by_pk(10**9) == []


def test_a_later_call_builds_and_compiles_nothing(ventures):
    # given a shape already prepared, and the check of every call off (production)
    _by_pk(ventures[0].pk)
    with override_settings(SEIR_PREPARED_CHECK_ALWAYS=False):
        with (
            mock.patch.object(SQLCompiler, "as_sql", autospec=True) as as_sql,
            CaptureQueriesContext(connection) as queries,
        ):
            # when it is called for another venture
            [venture] = _by_pk(ventures[2].pk)
    # then one query ran, compiled by nobody, and it answered for that venture
    assert venture.name == "Gamma"
    assert as_sql.call_count == 0
    assert len(queries.captured_queries) == 1


def test_a_list_of_values_of_any_length_and_a_slice_as_shape(ventures):
    pks = [v.pk for v in ventures]
    # an IN of three, of two (a duplicate dropped), and the slice's bound as the shape
    assert _names(pks, limit=10) == ["Alpha", "Beta", "Gamma"]
    assert _names([pks[2], pks[0], pks[2]], limit=10) == ["Beta", "Gamma"]
    assert _names(pks, limit=2) == ["Alpha", "Beta"]
    assert _names([pks[1]], limit=2) == ["Alpha"]


def test_none_is_part_of_the_shape(ventures):
    # given a venture with a lead and two without
    lead = UserFactory()
    Venture.objects.filter(pk=ventures[0].pk).update(lead=lead)
    Venture.objects.filter(pk=ventures[2].pk).delete()
    # then None is read as IS NULL, and a value as a value, whichever is prepared first
    assert _by_lead(None) == [ventures[1].pk]
    assert _by_lead(lead.pk) == [ventures[0].pk]
    assert _by_lead(None) == [ventures[1].pk]


def test_a_datetime_as_a_value(ventures):
    venture = ventures[0]
    now = timezone.now()
    assert _created_since(venture.pk, now - datetime.timedelta(days=1)) == [venture.pk]
    assert _created_since(venture.pk, now + datetime.timedelta(days=1)) == []


@prepared
def _created_within(pk, *bounds):
    """Ranges of datetimes (the dashboard's scope passes a dozen instants)."""
    q = Q(pk=pk)
    for low, high in zip(bounds[::2], bounds[1::2], strict=True):
        q &= Q(created_at__gte=low, created_at__lt=high)
    return Venture.objects.filter(q).values_list("pk", flat=True)


def test_eight_instants_each_reach_their_own_place(ventures):
    # given a venture created now and eight datetime bounds around it (the stand-ins of
    # arguments 1 and 5 once shared a year: one argument then stood for two)
    venture = ventures[0]
    now = timezone.now()
    day = datetime.timedelta(days=1)
    wide = [now - day, now + day] * 4
    assert _created_within(venture.pk, *wide) == [venture.pk]
    # then moving any one bound past the venture leaves it out
    for i in range(len(wide)):
        moved = list(wide)
        moved[i] = now + day if i % 2 == 0 else now - day
        assert _created_within(venture.pk, *moved) == [], i


def test_a_date_the_function_reads_itself_is_refused(ventures):
    # given a function that reads today's date itself (it would be kept from the first call)
    @prepared
    def since_today(pk):
        return Venture.objects.filter(pk=pk, created_at__date__gte=timezone.localdate())

    # then it is refused when first called, naming the date
    with pytest.raises(PreparedQueryError, match="holds the date"):
        since_today(ventures[0].pk)


def test_a_value_a_lookup_transforms_is_refused(ventures):
    @prepared
    def named_like(text):
        return Venture.objects.filter(name__icontains=text)

    with pytest.raises(PreparedQueryError, match="do not reach the SQL"):
        named_like("alp")


def test_a_shape_that_depends_on_a_value_is_caught(ventures):
    # given a function whose SQL depends on a positional value (it should be a keyword)
    @prepared
    def odd(pk):
        queryset = Venture.objects.filter(pk=pk)
        return queryset.filter(name="Alpha") if pk % 2 else queryset

    # then, checked on every call under the test settings, a call whose value takes the
    # other branch than its stand-in did fails (an even and an odd value: one of them)
    with pytest.raises(PreparedQueryError, match="other SQL"):
        odd(ventures[0].pk)
        odd(ventures[0].pk + 1)


def test_in_production_a_shape_that_fails_its_check_runs_the_plain_way(ventures):
    @prepared
    def odd(pk):
        queryset = Venture.objects.filter(pk=pk).values_list("name", flat=True)
        return queryset.filter(name="Alpha") if pk == ventures[1].pk else queryset

    with override_settings(SEIR_PREPARED_CHECK_ALWAYS=False):
        # the first call's check finds that the real SQL differs: the plain rows, and a log
        assert odd(ventures[1].pk) == ["Alpha"]
        assert odd(ventures[0].pk) == ["Beta"]


def test_a_boolean_is_part_of_the_shape_and_a_float_is_refused(ventures):
    Venture.objects.filter(pk=ventures[1].pk).update(is_spinout=True)

    @prepared
    def by_flag(flag):
        return Venture.objects.filter(is_spinout=flag).order_by("pk").values_list("pk", flat=True)

    assert by_flag(True) == [ventures[1].pk]
    assert by_flag(False) == [ventures[0].pk, ventures[2].pk]
    with pytest.raises(PreparedQueryError, match="not float"):
        by_flag(1.5)


def test_rows_written_since_are_read(ventures):
    # given the profile history read once (prepared) with nothing in it
    @prepared
    def history(venture_id):
        return FieldChange.objects.filter(venture_id=venture_id).values_list("field", flat=True)

    venture = ventures[0]
    assert history(venture.pk) == []
    # when a change is written
    FieldChange.objects.create(
        venture=venture, field="summary", old_value="", new_value="x", changed_at=timezone.now()
    )
    # then the next call reads it: the SQL is kept, never the rows
    assert history(venture.pk) == ["summary"]


def test_in_production_a_shape_that_cannot_be_prepared_runs_the_plain_way(ventures, caplog):
    # given a function whose second value reaches the SQL only for some first values
    @prepared
    def named(pk, name):
        queryset = Venture.objects.filter(pk=pk).values_list("name", flat=True)
        return queryset.filter(name=name) if pk == ventures[1].pk else queryset

    with override_settings(SEIR_PREPARED_CHECK_ALWAYS=False):
        # then the request is answered the plain way, and the error logged
        assert named(ventures[0].pk, "Alpha") == ["Beta"]
        assert "cannot be prepared" in caplog.text
        assert named(ventures[1].pk, "Alpha") == ["Alpha"]
        assert named(ventures[1].pk, "Beta") == []


def test_in_production_a_value_that_cannot_be_prepared_is_read_the_plain_way(ventures):
    @prepared
    def by_number(number):
        return Venture.objects.filter(pk=number).values_list("name", flat=True)

    with override_settings(SEIR_PREPARED_CHECK_ALWAYS=False):
        # a float has no stand-in: the plain query answers, as Django would
        assert by_number(float(ventures[1].pk)) == ["Alpha"]


@prepared
def _field_changes_of(venture_ids):
    return FieldChange.objects.filter(venture_id__in=venture_ids).order_by("-id")


def test_attach_gives_each_parent_its_own_rows_in_the_order_read():
    first, second, third = VentureFactory(), VentureFactory(), VentureFactory()
    made = {
        v.pk: [
            FieldChange.objects.create(
                venture=v, field="name", new_display=str(n), changed_at=timezone.now()
            )
            for n in range(count)
        ]
        for count, v in enumerate((first, second), start=2)
    }

    parents = attach([first, second, third], _field_changes_of, by="venture_id", name="changes")

    assert parents == [first, second, third]
    assert first.changes == made[first.pk][::-1]  # newest first, as the query orders them
    assert second.changes == made[second.pk][::-1]
    assert third.changes == []


def test_attach_reads_nothing_without_parents():
    with CaptureQueriesContext(connection) as queries:
        assert attach([], _field_changes_of, by="venture_id", name="changes") == []
    assert len(queries) == 0


def test_an_optional_instant_may_stay_out_of_the_sql_and_only_instants_may(ventures):
    # given a function given two instants of which its SQL compares with one
    def since(pk, since, unused):
        return Venture.objects.filter(pk=pk, created_at__gte=since).values_list("pk", flat=True)

    now = timezone.now()
    venture = ventures[0]
    # then without "optional" the unused instant is refused; with it, the rows come back
    with pytest.raises(PreparedQueryError, match="do not reach the SQL"):
        prepared(since)(venture.pk, now - datetime.timedelta(days=1), now)
    lenient = prepared(since, optional=(1, 2))
    assert lenient(venture.pk, now - datetime.timedelta(days=1), now) == [venture.pk]
    assert lenient(venture.pk, now + datetime.timedelta(days=1), now) == []
    # and a number may never be optional (a lookup could have changed it on its way)
    with pytest.raises(PreparedQueryError, match="Only dates"):
        prepared(since, optional=(0,))(venture.pk, now, now)


def test_a_number_compared_with_a_small_integer_field_is_a_value(ventures):
    from ventures.models import Stage

    # given a stage order (a small integer field) as a value, and as a list of values
    @prepared
    def below(order):
        return Stage.objects.filter(order__lt=order).order_by("pk").values_list("pk", flat=True)

    @prepared
    def among(orders):
        return Stage.objects.filter(order__in=orders).values_list("pk", flat=True)

    # then the number is prepared (its stand-in within the field's range: Django compiles
    # one it cannot hold as "matches nothing") and gives each call's own rows
    expected = list(Stage.objects.filter(order__lt=3).order_by("pk").values_list("pk", flat=True))
    assert expected and below(3) == expected
    assert below(0) == []
    # and a list's stand-ins (far from any constant) are out of that range: refused, not
    # silently run the plain way on every call
    with pytest.raises(PreparedQueryError, match="keyword argument"):
        among([1, 2])
