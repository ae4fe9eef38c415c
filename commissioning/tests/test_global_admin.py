"""A global administrator runs every programme: they open and move any introduction.

Found by the permission matrix (issue 21): the selector widened the visibility filter
with the team's introductions, and a global administrator's "every row" was an empty
``Q()``, which vanishes when OR-ed, so they got 404 on every introduction they were not
on the team of, although the pipeline listed it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.factories import global_admin
from commissioning import services
from commissioning.models import Introduction
from commissioning.selectors import introduction_filter

pytestmark = pytest.mark.django_db


@pytest.fixture
def intro(seir, venture, contact, days_ago):
    return services.introduction_make(
        actor=seir, venture=venture, contact=contact, purpose="Pilot", made_on=days_ago(5)
    )


@pytest.fixture
def admin_client(client):
    client.force_login(global_admin(username="root-admin"))
    return client


def test_a_global_administrator_opens_an_introduction_the_pipeline_lists(admin_client, intro):
    # given an introduction in a programme the global administrator is no member of
    # when they open the pipeline and then the introduction
    listed = admin_client.get(reverse("commissioning:introductions"))
    response = admin_client.get(reverse("commissioning:introduction", args=[intro.pk]))

    # then both show it
    assert [i.pk for c in listed.context["columns"] for i in c.items] == [intro.pk]
    assert response.status_code == 200
    assert response.context["introduction"].pk == intro.pk


def test_a_global_administrator_moves_an_introduction(admin_client, intro):
    # when they record the next step
    response = admin_client.post(
        reverse("commissioning:introduction_step", args=[intro.pk]),
        {"to_step": "introduced", "on": intro.step_on.isoformat(), "expected_step": "requested"},
    )

    # then it moved
    assert response.status_code == 302
    intro.refresh_from_db()
    assert intro.step == "introduced"


def test_the_global_administrators_list_has_no_visibility_clause(intro):
    # "Every row" still costs the pipeline's query nothing: no WHERE at all.
    admin = global_admin(username="root-admin")

    listed = introduction_filter(user=admin, data=None).qs

    assert list(listed) == list(Introduction.objects.all()) == [intro]
    assert " WHERE " not in str(listed.query)
