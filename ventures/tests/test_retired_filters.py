"""The venture list still finds old ventures by a value no longer offered for new ones: a
SEiR who has left (account deactivated) or lost the SEiR role, a retired legal form. The
filter offers them, marked, beside the current ones."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services as accounts
from accounts.factories import member
from accounts.models import ProgrammeMembership
from accounts.roles import Role
from tests.html_forms import page_form
from ventures.factories import VentureFactory
from ventures.models import Venture

pytestmark = pytest.mark.django_db


def listed(user, **params) -> tuple[list[str], dict]:
    """The ventures the list shows for ``params``, and the filter form's options."""
    client = Client()
    client.force_login(user)
    response = client.get(reverse("ventures:list"), params)
    assert response.status_code == 200
    form = page_form(response.content, containing="seir")
    names = [v.name for v in response.context["page"].object_list]
    return names, form.options


@pytest.fixture
def yusuf(programme):
    return member(programme, Role.SEIR, username="yusuf", first_name="Yusuf", last_name="Khan")


@pytest.fixture
def yusufs_venture(programme, yusuf):
    return VentureFactory(
        programme=programme, stage_code="idea", name="Ladypool Lunch Club", seir=yusuf
    )


def test_the_list_finds_the_ventures_of_a_seir_who_has_left(seir, venture, yusuf, yusufs_venture):
    # given: Yusuf, SEiR of one venture, has left
    accounts.user_deactivate(user=yusuf)

    # when: the other SEiR filters the list by him
    names, options = listed(seir, seir=yusuf.pk)

    # then: his venture is found, and he is offered, marked as inactive
    assert names == ["Ladypool Lunch Club"]
    assert (str(yusuf.pk), "Yusuf Khan (inactive)", True) in options["seir"]


def test_the_list_finds_the_ventures_of_a_seir_who_lost_the_role(
    seir, venture, yusuf, yusufs_venture
):
    # given: Yusuf is no longer a SEiR of the programme (still an active account)
    accounts.membership_remove(membership=ProgrammeMembership.objects.get(user=yusuf))

    # when
    names, options = listed(seir, seir=yusuf.pk)

    # then
    assert names == ["Ladypool Lunch Club"]
    assert (str(yusuf.pk), "Yusuf Khan (former SEiR)", True) in options["seir"]


def test_the_list_does_not_offer_a_former_seir_with_no_ventures(seir, venture, yusuf):
    # given: Yusuf left and was SEiR of nothing
    accounts.user_deactivate(user=yusuf)

    # when
    names, options = listed(seir, seir=yusuf.pk)

    # then: he is not offered (and a hand-made link naming him filters by nothing)
    assert names == ["Saheli Women's Centre"]
    assert str(yusuf.pk) not in [value for value, _label, _sel in options["seir"]]


def test_the_list_finds_ventures_by_a_retired_legal_form(seir, venture, other_venture, legal_forms):
    # given: one venture is a CIC, then the CIC legal form is retired
    cic = legal_forms["cic"]
    Venture.objects.filter(pk=venture.pk).update(legal_form=cic)
    cic.is_active = False
    cic.save(update_fields=["is_active"])

    # when
    names, options = listed(seir, legal_form=cic.pk)

    # then: the venture is found; the legal form is offered, marked retired
    assert names == ["Saheli Women's Centre"]
    assert (str(cic.pk), "Community interest company (CIC) (retired)", True) in options[
        "legal_form"
    ]


def test_a_seir_asked_for_is_checked_against_the_database(seir, venture, other_venture):
    """The SEiRs' query is built only when a SEiR is asked for (the choices drawn come
    from the cache), and then checks the value: someone who is no SEiR of a programme
    the reader sees is refused, not listed as every venture."""
    from accounts.factories import ProgrammeFactory

    elsewhere = member(ProgrammeFactory(name="Elsewhere"), Role.SEIR, username="elsewhere")
    client = Client()
    client.force_login(seir)

    shown = client.get(reverse("ventures:list"), {"seir": seir.pk})
    refused = client.get(reverse("ventures:list"), {"seir": elsewhere.pk})
    blank = client.get(reverse("ventures:list"), {"seir": ""})

    mine = sorted(Venture.objects.filter(seir=seir).values_list("name", flat=True))
    assert sorted(v.name for v in shown.context["page"].object_list) == mine
    assert refused.context["filter"].form.errors["seir"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert "Select a valid choice" in refused.content.decode()
    assert blank.context["filter"].form.errors == {}
