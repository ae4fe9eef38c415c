"""Issue 6, item 1: revoking a role revokes access, by every path, at once.

One source of truth: programme roles are ProgrammeMembership rows and count in their
programme only; the global administrator role is ``User.is_global_admin`` (or superuser)
and is the only way into the Django admin.
"""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.factories import ProgrammeFactory, UserFactory, global_admin, member
from accounts.models import ProgrammeMembership, User
from accounts.permissions import user_is_global_admin, user_roles
from accounts.roles import Role
from accounts.tests.admin_forms import user_change_data
from ventures.factories import VentureFactory

pytestmark = pytest.mark.django_db

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def birmingham():
    return ProgrammeFactory(name="Birmingham East and North", start_date=datetime.date(2026, 1, 5))


@pytest.fixture
def solihull():
    return ProgrammeFactory(name="Solihull", start_date=datetime.date(2026, 3, 1))


@pytest.fixture
def ventures(birmingham, solihull):
    return {
        "birmingham": VentureFactory(programme=birmingham, name="Ladywood Laundry"),
        "solihull": VentureFactory(programme=solihull, name="Shirley Skills Swap"),
    }


@pytest.fixture
def programme_admin(solihull):
    """The issue's user: the Administrator role in the Solihull programme only."""
    return member(solihull, Role.ADMINISTRATOR, global_admin=False, username="sol-admin")


def _client_for(user):
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def _venture_status(client, venture):
    return client.get(reverse("ventures:detail", args=[venture.pk])).status_code


def _admin_refused(client):
    response = client.get("/admin/")
    return response.status_code == 302 and response["Location"].startswith("/admin/login/")


# --- a programme membership grants that programme only ------------------------------


def test_administrator_membership_grants_its_programme_only(programme_admin, ventures):
    client = _client_for(programme_admin)

    assert _venture_status(client, ventures["solihull"]) == 200
    assert _venture_status(client, ventures["birmingham"]) == 404
    assert _admin_refused(client)
    programme_admin.refresh_from_db()
    assert programme_admin.is_staff is False
    assert user_is_global_admin(programme_admin) is False


def test_an_auth_group_grants_no_role(birmingham, ventures):
    # given: a user put into a group named like the old role group
    user = UserFactory(username="grouped")
    user.groups.add(Group.objects.create(name="Administrator"))
    client = _client_for(user)

    # then: no role, no venture, no admin
    assert user_roles(user) == []
    assert _venture_status(client, ventures["birmingham"]) == 404
    assert _admin_refused(client)


# --- removing a membership, by each path ----------------------------------------------


def _assert_membership_gone(user, client, ventures):
    assert not ProgrammeMembership.objects.filter(user=user).exists()
    assert _venture_status(client, ventures["solihull"]) == 404
    assert _venture_status(client, ventures["birmingham"]) == 404
    assert _admin_refused(client)


def test_removed_by_the_admin_inline(root_client, programme_admin, solihull, ventures):
    # given: the user is signed in and sees the Solihull venture
    client = _client_for(programme_admin)
    assert _venture_status(client, ventures["solihull"]) == 200
    membership = ProgrammeMembership.objects.get(user=programme_admin)

    # when: the membership is deleted in the programme's inline
    response = root_client.post(
        reverse("admin:accounts_programme_change", args=[solihull.pk]),
        {
            "name": solihull.name,
            "host_organisation": solihull.host_organisation,
            "start_date": "2026-03-01",
            "end_date": "2027-03-01",
            "target_ventures": "3",
            "target_stage_code": "pilot",
            "stuck_after_days": "120",
            "quiet_after_days": "45",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": str(membership.pk),
            "memberships-0-programme": str(solihull.pk),
            "memberships-0-user": str(programme_admin.pk),
            "memberships-0-role": "administrator",
            "memberships-0-DELETE": "on",
        },
    )

    # then: on the user's very next requests, no access anywhere
    assert response.status_code == 302
    _assert_membership_gone(programme_admin, client, ventures)


def test_removed_by_the_changelist_delete_action(root_client, programme_admin, ventures):
    client = _client_for(programme_admin)
    assert _venture_status(client, ventures["solihull"]) == 200
    membership = ProgrammeMembership.objects.get(user=programme_admin)

    response = root_client.post(
        reverse("admin:accounts_programmemembership_changelist"),
        {"action": "delete_selected", "_selected_action": [str(membership.pk)], "post": "yes"},
    )

    assert response.status_code == 302
    _assert_membership_gone(programme_admin, client, ventures)


def test_removed_on_the_admin_delete_page(root_client, programme_admin, ventures):
    client = _client_for(programme_admin)
    membership = ProgrammeMembership.objects.get(user=programme_admin)

    response = root_client.post(
        reverse("admin:accounts_programmemembership_delete", args=[membership.pk]),
        {"post": "yes"},
    )

    assert response.status_code == 302
    _assert_membership_gone(programme_admin, client, ventures)


def test_removed_by_the_service(root, programme_admin, ventures):
    client = _client_for(programme_admin)
    assert _venture_status(client, ventures["solihull"]) == 200

    services.membership_remove(
        membership=ProgrammeMembership.objects.get(user=programme_admin), actor=root
    )

    _assert_membership_gone(programme_admin, client, ventures)


def test_roles_are_not_cached_across_requests(programme_admin, ventures):
    # given: a user object whose roles were read once (as a request does)
    assert user_roles(programme_admin) == [Role.ADMINISTRATOR]

    # when: the membership goes
    services.membership_remove(membership=ProgrammeMembership.objects.get(user=programme_admin))

    # then: a fresh load (the next request) has no roles
    assert user_roles(User.objects.get(pk=programme_admin.pk)) == []


# --- the global administrator role -------------------------------------------------


def test_global_admin_sees_every_programme_and_the_admin(ventures):
    user = global_admin(username="global")
    client = _client_for(user)

    assert _venture_status(client, ventures["solihull"]) == 200
    assert _venture_status(client, ventures["birmingham"]) == 200
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/ventures/venture/").status_code == 200
    user.refresh_from_db()
    assert user.is_staff is True


def test_global_role_revoked_by_the_service(root, ventures):
    user = global_admin(username="global")
    client = _client_for(user)
    assert client.get("/admin/").status_code == 200

    services.user_set_global_admin(user=user, is_global_admin=False, actor=root)

    assert _venture_status(client, ventures["birmingham"]) == 404
    assert _admin_refused(client)
    user.refresh_from_db()
    assert user.is_staff is False


def test_global_role_revoked_in_the_admin_user_form(root_client, ventures):
    user = global_admin(username="global")
    client = _client_for(user)
    assert client.get("/admin/").status_code == 200

    response = root_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        user_change_data(user, is_global_admin=None),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert (user.is_global_admin, user.is_staff) == (False, False)
    assert _venture_status(client, ventures["birmingham"]) == 404
    assert _admin_refused(client)


def test_global_role_granted_in_the_admin_user_form_opens_the_admin(root_client, ventures):
    user = UserFactory(username="promoted")

    response = root_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]), user_change_data(user)
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.is_global_admin, user.is_staff) == (True, True)
    assert _client_for(user).get("/admin/").status_code == 200


def test_is_staff_alone_does_not_open_the_admin(birmingham):
    # given: a stale flag written past the model (as an old row or raw SQL would)
    user = member(birmingham, Role.SEIR, username="stale")
    User.objects.filter(pk=user.pk).update(is_staff=True)

    assert _admin_refused(_client_for(User.objects.get(pk=user.pk)))


# --- deactivation -------------------------------------------------------------------


def test_deactivated_by_the_service(root, ventures):
    user = member(ventures["solihull"].programme, Role.ADMINISTRATOR, username="leaver")
    client = _client_for(user)
    assert _venture_status(client, ventures["birmingham"]) == 200

    services.user_deactivate(user=user, actor=root)

    user.refresh_from_db()
    assert (user.is_active, user.is_staff) == (False, False)
    response = client.get(reverse("ventures:detail", args=[ventures["solihull"].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert _admin_refused(client)
    assert user_roles(user) == [] and not user_is_global_admin(user)


def test_deactivated_in_the_admin_user_form(root_client, ventures):
    user = member(ventures["solihull"].programme, Role.ADMINISTRATOR, username="leaver")
    client = _client_for(user)
    assert client.get("/admin/").status_code == 200

    response = root_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        user_change_data(user, is_active=None),
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.is_active, user.is_staff) == (False, False)
    assert _admin_refused(client)
    assert (
        client.get(reverse("ventures:detail", args=[ventures["birmingham"].pk])).status_code == 302
    )


def test_only_a_superuser_can_make_superusers(root_client):
    user = UserFactory(username="ambitious")

    root_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        user_change_data(user, is_superuser="on"),
    )

    user.refresh_from_db()
    assert user.is_superuser is False


# --- the data migration -------------------------------------------------------------


def test_data_migration_turns_old_administrators_into_global_administrators(birmingham, solihull):
    # given: the shapes the first release left behind
    migration = importlib.import_module("accounts.migrations.0004_global_admin_from_groups")
    by_group = UserFactory(username="by-group")
    by_group.groups.add(Group.objects.create(name="Administrator"))
    by_membership = UserFactory(username="by-membership")
    ProgrammeMembership.objects.create(programme=solihull, user=by_membership, role="administrator")
    seir = UserFactory(username="plain-seir")
    ProgrammeMembership.objects.create(programme=birmingham, user=seir, role="seir")
    seir.groups.add(Group.objects.create(name="SEiR"))
    User.objects.filter(pk=seir.pk).update(is_staff=True)  # e.g. ticked by hand
    superuser = UserFactory(username="super", is_superuser=True)

    # when
    migration.forwards(django_apps, None)

    # then
    flags = dict(User.objects.values_list("username", "is_global_admin"))
    staff = dict(User.objects.values_list("username", "is_staff"))
    assert flags == {"by-group": True, "by-membership": True, "plain-seir": False, "super": True}
    assert staff == {"by-group": True, "by-membership": True, "plain-seir": False, "super": True}
    assert list(Group.objects.values_list("name", flat=True)) == []
    assert superuser.pk in User.objects.filter(is_global_admin=True).values_list("pk", flat=True)
