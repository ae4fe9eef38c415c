"""Changes to an account's access are events like every other change (issue 20, item 2):
granting or revoking global administration or superuser status, and closing or opening
an account, each record one event naming who did it and whose account it was, through
the services and through the admin's user form alike. A refused change records nothing."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.factories import UserFactory, global_admin, member
from accounts.models import User
from accounts.roles import Role
from accounts.tests.admin_forms import user_change_data
from events.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="super", first_name="Sam", last_name="Super", is_superuser=True)


@pytest.fixture
def superuser_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def _account_events(user):
    return list(
        Event.objects.filter(
            kind__startswith="account.",
            subject_type=ContentType.objects.get_for_model(User),
            subject_id=user.pk,
        )
        .order_by("pk")
        .values_list("kind", "actor_id", "visibility", "data__user_id")
    )


def _access(user) -> tuple[bool, bool, bool, bool]:
    user = User.objects.get(pk=user.pk)
    return (user.is_active, user.is_global_admin, user.is_superuser, user.is_staff)


# --- through the services -------------------------------------------------------------


def test_granting_and_revoking_global_administration_records_one_event_each(root):
    user = UserFactory(username="promoted")

    services.user_set_global_admin(user=user, is_global_admin=True, actor=root)
    services.user_set_global_admin(user=user, is_global_admin=True, actor=root)  # no change
    services.user_set_global_admin(user=user, is_global_admin=False, actor=root)

    assert _account_events(user) == [
        ("account.global_admin_granted", root.pk, "staff", user.pk),
        ("account.global_admin_revoked", root.pk, "staff", user.pk),
    ]


def test_deactivating_records_one_event_and_a_second_call_changes_nothing(root):
    user = UserFactory(username="leaver")

    services.user_deactivate(user=user, actor=root)
    services.user_deactivate(user=user, actor=root)

    assert _account_events(user) == [("account.deactivated", root.pk, "staff", user.pk)]
    services.user_set_active(user=user, is_active=True, actor=root)
    user.refresh_from_db()
    assert user.is_active is True
    assert [kind for kind, *_ in _account_events(user)] == [
        "account.deactivated",
        "account.reactivated",
    ]


def test_granting_and_revoking_superuser_status_records_one_event_each(superuser):
    user = UserFactory(username="promoted")

    services.user_set_superuser(user=user, is_superuser=True, actor=superuser)
    services.user_set_superuser(user=user, is_superuser=True, actor=superuser)  # no change
    assert _access(user) == (True, False, True, True)
    services.user_set_superuser(user=user, is_superuser=False, actor=superuser)

    assert _access(user) == (True, False, False, False)
    assert _account_events(user) == [
        ("account.superuser_granted", superuser.pk, "staff", user.pk),
        ("account.superuser_revoked", superuser.pk, "staff", user.pk),
    ]


def test_a_global_administrator_cannot_make_a_superuser(root):
    user = UserFactory(username="ambitious")

    with pytest.raises(PermissionDenied, match="Only a superuser can make or unmake superusers."):
        services.user_set_superuser(user=user, is_superuser=True, actor=root)

    assert _access(user) == (True, False, False, False)
    assert _account_events(user) == []


@pytest.mark.parametrize(
    "change",
    [
        lambda user, actor: services.user_set_global_admin(
            user=user, is_global_admin=True, actor=actor
        ),
        lambda user, actor: services.user_deactivate(user=user, actor=actor),
    ],
    ids=["grant global administration", "deactivate"],
)
def test_only_a_global_administrator_changes_who_administers_or_signs_in(programme, change):
    # given: a programme's own administrator (not a global one) and a colleague
    programme_admin = member(programme, Role.ADMINISTRATOR, global_admin=False, username="pa")
    colleague = member(programme, Role.SEIR, username="colleague")

    # when / then: refused, and nothing changed or was recorded
    with pytest.raises(PermissionDenied, match="Only a global administrator"):
        change(colleague, programme_admin)

    assert _access(colleague) == (True, False, False, False)
    assert _account_events(colleague) == []


# --- through the admin's user form ------------------------------------------------------


def test_the_admin_user_form_changes_access_through_the_services(root, root_client):
    user = global_admin(username="global")
    Event.objects.filter(subject_id=user.pk).delete()

    response = root_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        user_change_data(user, is_global_admin=None, is_active=None, first_name="Renamed"),
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.is_active, user.is_global_admin) == ("Renamed", False, False)
    assert _account_events(user) == [
        ("account.global_admin_revoked", root.pk, "staff", user.pk),
        ("account.deactivated", root.pk, "staff", user.pk),
    ]


def test_an_admin_save_that_leaves_access_alone_records_no_account_event(root_client):
    user = global_admin(username="global")
    before = _account_events(user)

    root_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        user_change_data(user, first_name="Renamed"),
    )

    user.refresh_from_db()
    assert user.first_name == "Renamed"
    assert _account_events(user) == before


def test_a_superuser_grants_superuser_status_in_the_admin_user_form(superuser_client, superuser):
    user = global_admin(username="global")
    before = _account_events(user)

    response = superuser_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        user_change_data(user, is_superuser="on"),
    )

    assert response.status_code == 302
    assert _access(user) == (True, True, True, True)
    assert _account_events(user) == [
        *before,
        ("account.superuser_granted", superuser.pk, "staff", user.pk),
    ]


def test_a_global_administrator_cannot_make_a_superuser_in_the_admin(root_client):
    user = UserFactory(username="ambitious")

    root_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        user_change_data(user, is_global_admin=None, is_superuser="on"),
    )

    assert _access(user) == (True, False, False, False)
    assert _account_events(user) == []


def test_a_user_form_with_an_error_changes_and_records_nothing(root_client):
    # given: a global administrator
    user = global_admin(username="global")
    before = _account_events(user)

    # when: the form unticks both access boxes but carries a bad email address
    response = root_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        user_change_data(user, is_global_admin=None, is_active=None, email="not an address"),
    )

    # then: the form is shown again; the account and its events are as they were
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert _access(user) == (True, True, False, True)
    assert _account_events(user) == before
