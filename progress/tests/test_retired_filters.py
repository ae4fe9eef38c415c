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
