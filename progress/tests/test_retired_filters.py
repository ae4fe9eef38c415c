"""The dashboard's SEiR filter still shows the figures of a SEiR who has left (account
deactivated) or lost the role, for the ventures still in their name."""

from __future__ import annotations

import pytest

from accounts import services as accounts
from accounts.models import ProgrammeMembership
from tests.html_forms import page_form

from .test_dashboard import DASHBOARD, client_for, parse, rows_on

pytestmark = pytest.mark.django_db


def test_the_figures_of_a_seir_who_has_left_can_still_be_shown(manager, seir, seeded):
    # given: the SEiR of two achieved ventures has left
    accounts.user_deactivate(user=seir)
    client = client_for(manager)

    # when: the manager filters the dashboard by them
    response = client.get(f"{DASHBOARD}?seir={seir.pk}")

    # then: the figures are theirs, and they are offered, marked inactive
    page = parse(response)
    assert "Select a valid choice" not in response.text
    assert page.figures["achieved"][1] == "2"
    assert rows_on(client, page.figures["achieved"][0]) == 2
    options = page_form(response.content, containing="seir").options["seir"]
    assert (str(seir.pk), "Samira Patel (inactive)", True) in options


def test_the_figures_of_a_seir_who_lost_the_role_can_still_be_shown(
    manager, programme, seir, seeded
):
    # given: the SEiR is no longer a SEiR of the programme
    accounts.membership_remove(
        membership=ProgrammeMembership.objects.get(user=seir, programme=programme)
    )

    # when
    response = client_for(manager).get(f"{DASHBOARD}?seir={seir.pk}")

    # then
    page = parse(response)
    assert "Select a valid choice" not in response.text
    assert page.figures["achieved"][1] == "2"
    options = page_form(response.content, containing="seir").options["seir"]
    assert (str(seir.pk), "Samira Patel (former SEiR)", True) in options


def test_the_seir_choices_follow_changes_made_after_they_were_first_offered(
    manager, programme, seir, seeded
):
    from accounts.factories import UserFactory
    from accounts.roles import Role

    # given the dashboard opened once (its SEiR choices are kept with the reference data)
    client = client_for(manager)
    first = page_form(client.get(DASHBOARD).content, containing="seir").options["seir"]
    assert (str(seir.pk), "Samira Patel", False) in first

    # when the SEiR leaves and another person becomes one of the programme's SEiRs
    accounts.user_deactivate(user=seir)
    newcomer = UserFactory(first_name="Nia", last_name="Okafor")
    accounts.membership_add(programme=programme, user=newcomer, role=Role.SEIR)

    # then the next request offers both as they now are, and the newcomer can be chosen
    response = client.get(f"{DASHBOARD}?seir={newcomer.pk}")
    options = page_form(response.content, containing="seir").options["seir"]
    assert (str(seir.pk), "Samira Patel (inactive)", False) in options
    assert (str(newcomer.pk), "Nia Okafor", True) in options
    assert "Select a valid choice" not in response.text
    assert "ventures of Nia Okafor" in response.text
    assert parse(response).figures["achieved"][1] == "0"
