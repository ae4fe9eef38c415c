"""Numbers from the outside world never reach the database out of range."""

import pytest
from django.contrib.auth.models import Group

from accounts.factories import UserFactory
from seir.params import DB_INT_MAX, bounded_int, bounded_pk, query_int

HUGE = 99999999999999999999


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7),
        (" 7 ", 7),
        ("-3", 0),
        (str(HUGE), DB_INT_MAX),
        ("abc", 5),
        ("1e9", 5),
        ("\x00", 5),
        ("", 5),
        (None, 5),
        ("٣", 3),  # int() reads other scripts' digits too; still in range
    ],
)
def test_bounded_int(value, expected):
    assert bounded_int(value, default=5) == expected


def test_query_int_uses_the_default_when_absent_and_honours_bounds():
    assert query_int({}, "page", default=1, minimum=1) == 1
    assert query_int({"page": "0"}, "page", default=1, minimum=1) == 1
    assert query_int({"page": "120"}, "page", default=1, minimum=1, maximum=100) == 100


@pytest.mark.django_db
def test_in_lookup_with_out_of_range_integers_matches_nothing_instead_of_failing():
    user = UserFactory()
    group = Group.objects.create(name="g")
    user.groups.add(group)

    assert list(Group.objects.filter(pk__in=[HUGE])) == []
    assert list(Group.objects.filter(pk__in=[HUGE, -HUGE, group.pk])) == [group]
    assert list(type(user).objects.filter(groups__in=[HUGE])) == []
    assert list(type(user).objects.filter(groups__in=[HUGE, group.pk])) == [user]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7),
        (7, 7),
        (" 7 ", 7),
        ("007", 7),
        (str(DB_INT_MAX), DB_INT_MAX),
        (str(DB_INT_MAX + 1), None),
        (str(HUGE), None),
        ("9" * 5000, None),  # past the digits int() converts: no ValueError
        ("0" * 30 + "7", 7),
        ("0", None),
        ("-3", None),
        ("+3", None),
        ("3_0", None),
        ("1e9", None),
        ("٣", None),  # int() reads it as 3: an id is written in ASCII digits
        ("²", None),  # str.isdigit() says yes, int() raises
        ("abc", None),
        ("\x00", None),
        ("", None),
        (None, None),
    ],
)
def test_bounded_pk(value, expected):
    assert bounded_pk(value) == expected
