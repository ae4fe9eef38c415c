"""The role rules, each stated once (accounts.permissions), and the one per-request
Access object that keeps what a user object knows of its roles.

- runs_programme: "SEiR or administrator" (global administrators run every programme);
- reads_programme: those, and "a PCT manager may read".
"""

import datetime

import pytest
from django.utils.functional import SimpleLazyObject

from accounts import services
from accounts.factories import ProgrammeFactory, UserFactory, global_admin, member
from accounts.models import ProgrammeMembership, User
from accounts.permissions import (
    ACCESS_ATTRIBUTE,
    access_forget,
    access_kept,
    programme_ids_read_by,
    programme_ids_run_by,
    programmes_read_by,
    programmes_run_by,
    reads_programme,
    runs_programme,
    user_roles,
)
from accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def birmingham():
    return ProgrammeFactory(name="Birmingham East and North", start_date=datetime.date(2026, 1, 5))


@pytest.fixture
def solihull():
    return ProgrammeFactory(name="Solihull", start_date=datetime.date(2026, 3, 1))


@pytest.fixture
def people(birmingham):
    """One person per role, each in Birmingham only (the administrator of Birmingham
    alone, not a global one), and a global administrator with no membership."""
    return {
        "seir": member(birmingham, Role.SEIR, username="seir"),
        "administrator": member(
            birmingham, Role.ADMINISTRATOR, global_admin=False, username="bham-admin"
        ),
        "manager": member(birmingham, Role.MANAGER, username="manager"),
        "entrepreneur": member(birmingham, Role.ENTREPRENEUR, username="entrepreneur"),
        "commissioner": member(birmingham, Role.COMMISSIONER, username="commissioner"),
        "nobody": UserFactory(username="nobody"),
        "global": global_admin(username="global"),
    }


# who: (runs Birmingham, reads Birmingham, runs any, reads any)
RULES = {
    "seir": (True, True, True, True),
    "administrator": (True, True, True, True),
    "manager": (False, True, False, True),
    "entrepreneur": (False, False, False, False),
    "commissioner": (False, False, False, False),
    "nobody": (False, False, False, False),
    "global": (True, True, True, True),
}


@pytest.mark.parametrize("who", RULES)
def test_each_role_runs_and_reads_as_the_rules_say(people, birmingham, who):
    user = people[who]

    answers = (
        runs_programme(user, birmingham.pk),
        reads_programme(user, birmingham.pk),
        runs_programme(user),
        reads_programme(user),
    )

    assert answers == RULES[who]


@pytest.mark.parametrize("who", ["seir", "administrator", "manager"])
def test_a_programme_role_counts_in_its_own_programme_only(people, solihull, who):
    user = people[who]

    assert (runs_programme(user, solihull.pk), reads_programme(user, solihull.pk)) == (
        False,
        False,
    )
    assert list(programmes_read_by(user).values_list("name", flat=True)) == [
        "Birmingham East and North"
    ]


def test_the_lists_name_the_programmes_each_rule_allows(people, birmingham, solihull):
    assert programme_ids_run_by(people["seir"]) == [birmingham.pk]
    assert programme_ids_run_by(people["manager"]) == []
    assert programme_ids_read_by(people["manager"]) == [birmingham.pk]
    assert programme_ids_read_by(people["entrepreneur"]) == []
    # A global administrator reaches every programme without a membership.
    assert programme_ids_run_by(people["global"]) == [birmingham.pk, solihull.pk]
    assert programme_ids_read_by(people["global"]) == [birmingham.pk, solihull.pk]
    assert set(programmes_run_by(people["global"])) == {birmingham, solihull}
    assert list(programmes_run_by(people["manager"])) == []


def test_an_inactive_account_runs_and_reads_nothing(people, birmingham):
    seir = people["seir"]
    services.user_set_active(user=seir, is_active=False)

    assert (runs_programme(seir, birmingham.pk), reads_programme(seir)) == (False, False)
    assert (programme_ids_read_by(seir), user_roles(seir)) == ([], [])


def test_a_request_reads_the_roles_once_and_keeps_them_in_one_access(
    people, birmingham, django_assert_num_queries
):
    seir = User.objects.get(username="seir")  # a fresh object, as a request loads it

    with django_assert_num_queries(1):
        runs_programme(seir, birmingham.pk)
    with django_assert_num_queries(0):
        reads_programme(seir, birmingham.pk)
        user_roles(seir)
        programme_ids_read_by(seir)
        access_kept(seir, "tests.answer", lambda: 42)

    kept = sorted(name for name in vars(seir) if name.startswith("_seir"))
    assert kept == [ACCESS_ATTRIBUTE]
    assert access_kept(seir, "tests.answer", lambda: 0) == 42


def test_a_lazy_request_user_keeps_its_access_on_the_user(people, birmingham):
    seir = User.objects.get(username="seir")
    lazy = SimpleLazyObject(lambda: seir)

    assert runs_programme(lazy, birmingham.pk) is True
    assert ACCESS_ATTRIBUTE in vars(seir)


def test_a_role_given_or_taken_in_the_same_request_counts_at_once(people, birmingham, solihull):
    seir = people["seir"]
    assert runs_programme(seir, solihull.pk) is False  # read and kept

    services.membership_add(programme=solihull, user=seir, role=Role.SEIR)
    assert runs_programme(seir, solihull.pk) is True

    membership = ProgrammeMembership.objects.select_related("user").get(
        user=seir, programme=birmingham
    )
    membership.user = seir  # the same object, as a service given the request's user
    services.membership_remove(membership=membership)
    assert runs_programme(seir, birmingham.pk) is False


def test_the_global_administrator_role_taken_away_counts_at_once(people, solihull):
    root = people["global"]
    assert runs_programme(root, solihull.pk) is True

    services.user_set_global_admin(user=root, is_global_admin=False)

    assert (runs_programme(root, solihull.pk), programme_ids_run_by(root)) == (False, [])


def test_forgetting_drops_every_kept_answer(people):
    seir = people["seir"]
    access_kept(seir, "tests.answer", lambda: 1)

    access_forget(seir)

    assert ACCESS_ATTRIBUTE not in vars(seir)
    assert access_kept(seir, "tests.answer", lambda: 2) == 2
    access_forget(seir)
    access_forget(seir)  # forgetting twice is harmless
