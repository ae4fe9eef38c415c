"""The navigation offers the introductions page to exactly those who may open it: a
commissioner's contact with a user account but without the Commissioner role too."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import UserFactory
from commissioning import permissions, services
from commissioning.models import Contact

pytestmark = pytest.mark.django_db

INTRODUCTIONS_LINK = '<a class="nav-link" href="/commissioning/introductions/">Introductions</a>'
COMMISSIONING_LINK = '<a class="nav-link" href="/commissioning/">Commissioning</a>'


@pytest.fixture
def intro(seir, venture, council_contact, days_ago):
    return services.introduction_make(
        actor=seir, venture=venture, contact=council_contact, purpose="Falls", made_on=days_ago(2)
    )


def nav(client) -> str:
    response = client.get(reverse("programmes:list"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_contact_without_the_commissioner_role_is_offered_their_introductions(
    client, council_user, intro
):
    # given Colin is the council's contact, with an account but no programme role
    assert permissions.is_commissioner_user(council_user)
    client.force_login(council_user)

    # then every page's navigation offers the introductions, and the page opens on his
    page = nav(client)
    assert INTRODUCTIONS_LINK in page
    assert COMMISSIONING_LINK not in page
    response = client.get(reverse("commissioning:introductions"))
    assert response.status_code == 200
    assert INTRODUCTIONS_LINK.replace('nav-link"', 'nav-link active" aria-current="page"') in (
        response.content.decode()
    )
    assert [i.pk for c in response.context["columns"] for i in c.items] == [intro.pk]


def test_the_commissioner_role_without_an_organisation_is_still_offered_the_page(
    client, commissioner_user
):
    client.force_login(commissioner_user)
    assert INTRODUCTIONS_LINK in nav(client)
    assert client.get(reverse("commissioning:introductions")).status_code == 200


@pytest.mark.parametrize("who", ["entrepreneur", "outsider"])
def test_who_may_not_open_the_introductions_is_not_offered_them(client, entrepreneur, who):
    user = entrepreneur if who == "entrepreneur" else UserFactory(username="olive")
    client.force_login(user)
    page = nav(client)
    assert INTRODUCTIONS_LINK not in page
    assert COMMISSIONING_LINK not in page
    assert client.get(reverse("commissioning:introductions")).status_code == 404


@pytest.mark.parametrize("who", ["seir", "manager"])
def test_staff_and_managers_reach_introductions_through_commissioning(request, client, who):
    client.force_login(request.getfixturevalue(who))
    page = nav(client)
    assert COMMISSIONING_LINK in page
    assert INTRODUCTIONS_LINK not in page


def test_the_answer_costs_one_query_and_unlinking_removes_the_link_at_once(
    client, council_user, council_contact, intro
):
    def commissioner_queries(queries) -> int:
        return sum('"commissioning_commissioner"' in q["sql"] for q in queries.captured_queries)

    client.force_login(council_user)
    with CaptureQueriesContext(connection) as first:
        assert INTRODUCTIONS_LINK in nav(client)
    assert commissioner_queries(first) == 1

    # when an administrator unlinks his account from the contact (a write)
    Contact.objects.filter(pk=council_contact.pk).update(user=None)

    # then the link is gone, and so is the page
    assert INTRODUCTIONS_LINK not in nav(client)
    assert client.get(reverse("commissioning:introductions")).status_code == 404


def test_the_home_page_tells_a_commissioner_where_to_go(client, commissioner_user, contact):
    # given a commissioner who opens "My programmes" (the home page, staying on it)
    client.force_login(commissioner_user)
    html = client.get(reverse("home") + "?stay=1").content.decode()

    # then "Where to go" leads to their introductions, not only to a password change
    where = html.split('<h2 class="h4">Where to go</h2>', 1)[1]
    assert (
        '<li class="mb-2"><a href="/commissioning/introductions/">Introductions</a>'
        " – ventures introduced to your organisation</li>"
    ) in where
    assert "/ventures/board/" not in where
