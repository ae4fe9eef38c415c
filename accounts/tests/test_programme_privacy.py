"""Issue 6, item 6: a programme page shows each person only the members they need."""

import pytest
from django.urls import reverse

from accounts.factories import ProgrammeFactory, UserFactory, global_admin, member
from accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    programme = ProgrammeFactory(name="Birmingham East and North")
    people = {
        "seir": member(programme, Role.SEIR, username="samira", first_name="Samira", last_name="Patel", email="samira@example.nhs.uk"),
        "old_seir": member(programme, Role.SEIR, username="ian", first_name="Ian", last_name="Gone", is_active=False),
        "programme_admin": member(programme, Role.ADMINISTRATOR, global_admin=False, username="pat", first_name="Pat", last_name="Admin"),
        "manager": member(programme, Role.MANAGER, username="michael", first_name="Michael", last_name="Manager"),
        "entrepreneur": member(programme, Role.ENTREPRENEUR, username="erin", first_name="Erin", last_name="Lead"),
        "commissioner": member(programme, Role.COMMISSIONER, username="connie", first_name="Connie", last_name="Commissioner"),
        "old_lead": member(programme, Role.ENTREPRENEUR, username="rhys", first_name="Rhys", last_name="Morgan", is_active=False),
    }  # fmt: skip
    people["global_admin"] = global_admin(username="ada", first_name="Ada", last_name="Root")
    return programme, people


ACTIVE_MEMBERS = [
    ("Pat Admin", "administrator"),
    ("Michael Manager", "manager"),
    ("Samira Patel", "seir"),
    ("Connie Commissioner", "commissioner"),
    ("Erin Lead", "entrepreneur"),
]
EVERYONE = [
    ("Pat Admin", "administrator"),
    ("Michael Manager", "manager"),
    ("Ian Gone", "seir"),
    ("Samira Patel", "seir"),
    ("Connie Commissioner", "commissioner"),
    ("Erin Lead", "entrepreneur"),
    ("Rhys Morgan", "entrepreneur"),
]


@pytest.mark.parametrize(
    ("viewer", "scope", "expected"),
    [
        ("global_admin", "all", EVERYONE),
        ("programme_admin", "active", ACTIVE_MEMBERS),
        ("seir", "active", ACTIVE_MEMBERS),
        ("manager", "active", ACTIVE_MEMBERS),
        ("entrepreneur", "contacts", [("Samira Patel", "seir")]),
        ("commissioner", "contacts", [("Samira Patel", "seir")]),
    ],
)
def test_members_shown_per_role(client, world, viewer, scope, expected):
    programme, people = world
    client.force_login(people[viewer])

    response = client.get(reverse("programmes:detail", args=[programme.pk]))

    assert response.status_code == 200
    assert response.context["scope"] == scope
    shown = [(m.user.display_name, m.role) for m in response.context["members"]]
    # Ordered by role code, then name: administrator, manager, seir, commissioner...
    assert sorted(shown, key=lambda s: (s[1], s[0])) == sorted(expected, key=lambda s: (s[1], s[0]))
    body = response.content.decode()
    for name in {n for n, _ in EVERYONE} - {n for n, _ in expected}:
        if name != people[viewer].display_name:  # their own name is in the navigation
            assert name not in body


def test_entrepreneurs_see_their_seirs_as_contacts_with_email(client, world):
    programme, people = world
    client.force_login(people["entrepreneur"])

    body = client.get(reverse("programmes:detail", args=[programme.pk])).content.decode()

    assert "Your contacts" in body
    assert '<a href="mailto:samira@example.nhs.uk">samira@example.nhs.uk</a>' in body
    assert "Commissioner" not in body and "PCT manager" not in body


def test_inactive_accounts_are_marked_for_administrators_only(client, world):
    programme, people = world
    url = reverse("programmes:detail", args=[programme.pk])

    client.force_login(people["global_admin"])
    assert body_count(client.get(url), "inactive</span>") == 2

    client.force_login(people["seir"])
    assert body_count(client.get(url), "inactive</span>") == 0


def body_count(response, text):
    return response.content.decode().count(text)


def test_a_stranger_gets_404(client, world):
    programme, _ = world
    client.force_login(member(ProgrammeFactory(name="Solihull"), Role.SEIR, username="sol"))

    assert client.get(reverse("programmes:detail", args=[programme.pk])).status_code == 404


@pytest.mark.parametrize("extra", [0, 20])
def test_query_count_does_not_grow_with_members(
    client, world, django_assert_max_num_queries, extra
):
    programme, people = world
    for i in range(extra):
        member(programme, Role.ENTREPRENEUR, username=f"extra{i}")
        UserFactory(username=f"unrelated{i}")
    client.force_login(people["seir"])

    # +1 the target stage's name, +1 the waiting invitations (issue 16 items 9 and 11).
    with django_assert_max_num_queries(10):
        response = client.get(reverse("programmes:detail", args=[programme.pk]))

    assert len(response.context["members"]) == len(ACTIVE_MEMBERS) + extra
