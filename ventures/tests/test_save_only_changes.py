"""A save changes only what the person changed (issue 6, item 2).

Each test submits the edit form exactly as the page rendered it, with one field typed
over, the way a person in a browser would.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.html_forms import page_form
from ventures.models import FieldChange, Venture

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_as_shown(client: Client, venture: Venture, **typed):
    """Open the edit page, type ``typed`` over what it shows, and save."""
    url = reverse("ventures:edit", args=[venture.pk])
    form = page_form(client.get(url).content, containing="version")
    return client.post(url, {**form.values, **typed}), form


def history(venture) -> list[tuple]:
    return list(
        FieldChange.objects.filter(venture=venture)
        .order_by("id")
        .values_list("field", "old_value", "new_value")
    )


def test_administrators_venture_keeps_its_seir_when_the_seir_edits_the_area(
    administrator, seir, entrepreneur, programme
):
    # given: an administrator adds a venture, so its SEiR is the administrator
    admin = client_for(administrator)
    create = page_form(admin.get(reverse("ventures:create")).content, containing="name")
    admin.post(
        reverse("ventures:create"),
        {**create.values, "programme": programme.pk, "name": "Saheli Women's Centre"},
    )
    venture = Venture.objects.get(name="Saheli Women's Centre")
    assert venture.seir == administrator

    # when: the SEiR edits only the area
    response, form = edit_as_shown(client_for(seir), venture, area="Sparkhill")

    # then: the administrator is shown as the current SEiR, and stays the SEiR
    assert response.status_code == 302
    assert (str(administrator.pk), "Ada Administrator (current)", True) in form.options["seir"]
    venture.refresh_from_db()
    assert (venture.area, venture.seir_id, venture.version) == ("Sparkhill", administrator.pk, 2)
    assert history(venture) == [("area", "", "Sparkhill")]


def test_retired_legal_form_stays_when_the_entrepreneur_fixes_the_summary(
    venture, entrepreneur, legal_forms
):
    # given: the venture is a CIC, then the administrator retires that legal form
    cic = legal_forms["cic"]
    Venture.objects.filter(pk=venture.pk).update(legal_form=cic)
    cic.is_active = False
    cic.save(update_fields=["is_active"])

    # when: the entrepreneur fixes a typo in the summary
    response, form = edit_as_shown(
        client_for(entrepreneur), venture, summary="Sport and social activities for women!"
    )

    # then: the retired form is shown, selected, and kept
    assert response.status_code == 302
    assert (str(cic.pk), "Community interest company (CIC) (retired)", True) in form.options[
        "legal_form"
    ]
    venture.refresh_from_db()
    assert (venture.summary, venture.legal_form_id) == (
        "Sport and social activities for women!",
        cic.pk,
    )
    assert history(venture) == [
        (
            "summary",
            "Sport and social activities for women.",
            "Sport and social activities for women!",
        )
    ]


def test_retired_legal_form_is_not_offered_to_ventures_that_do_not_have_it(
    venture, other_venture, entrepreneur, legal_forms
):
    # given: a retired legal form that this venture never had
    cic = legal_forms["cic"]
    cic.is_active = False
    cic.save(update_fields=["is_active"])

    # when: the entrepreneur opens the form, then tries to pick it anyway
    response, form = edit_as_shown(client_for(entrepreneur), venture, legal_form=cic.pk)

    # then: it is neither offered nor accepted, and nothing is saved
    assert str(cic.pk) not in [value for value, _label, _sel in form.options["legal_form"]]
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    venture.refresh_from_db()
    assert (venture.legal_form_id, venture.version) == (None, 1)


def test_person_can_move_off_a_retired_value(venture, entrepreneur, legal_forms):
    # given: the venture's legal form was retired
    cic, cbs = legal_forms["cic"], legal_forms["cbs"]
    Venture.objects.filter(pk=venture.pk).update(legal_form=cic)
    cic.is_active = False
    cic.save(update_fields=["is_active"])

    # when: the entrepreneur picks another one
    response, _form = edit_as_shown(client_for(entrepreneur), venture, legal_form=cbs.pk)

    # then
    assert response.status_code == 302
    venture.refresh_from_db()
    assert venture.legal_form_id == cbs.pk
    assert history(venture) == [("legal_form", cic.pk, cbs.pk)]


def test_inactive_lead_and_seir_stay_when_the_seir_edits_the_area(
    venture, seir, entrepreneur, administrator
):
    # given: the venture's lead entrepreneur has left (account deactivated)
    entrepreneur.is_active = False
    entrepreneur.save(update_fields=["is_active"])

    # when: the SEiR changes only the area
    response, form = edit_as_shown(client_for(seir), venture, area="Sparkhill")

    # then: lead and SEiR are unchanged; the lead is shown as inactive
    assert response.status_code == 302
    assert (str(entrepreneur.pk), "Parveen Akhtar (inactive)", True) in form.options["lead"]
    venture.refresh_from_db()
    assert (venture.area, venture.lead_id, venture.seir_id) == (
        "Sparkhill",
        entrepreneur.pk,
        seir.pk,
    )
    assert history(venture) == [("area", "Balsall Heath", "Sparkhill")]


def test_a_field_the_request_did_not_carry_is_not_cleared(venture, seir, legal_forms):
    # given: a venture with a legal form, a lead and a SEiR
    cic = legal_forms["cic"]
    Venture.objects.filter(pk=venture.pk).update(legal_form=cic)
    lead_before = venture.lead_id

    # when: a request carries only the version and the area (an old or partial form)
    response = client_for(seir).post(
        reverse("ventures:edit", args=[venture.pk]), {"version": 1, "area": "Sparkhill"}
    )

    # then: only the area changed
    assert response.status_code == 302
    venture.refresh_from_db()
    assert (venture.area, venture.legal_form_id, venture.lead_id, venture.seir_id) == (
        "Sparkhill",
        cic.pk,
        lead_before,
        seir.pk,
    )
    assert venture.name == "Saheli Women's Centre"
    assert history(venture) == [("area", "Balsall Heath", "Sparkhill")]


def test_saving_the_form_unchanged_writes_nothing(venture, seir):
    # when: the SEiR saves the edit page as shown
    response, _form = edit_as_shown(client_for(seir), venture)

    # then
    assert response.status_code == 302
    venture.refresh_from_db()
    assert venture.version == 1
    assert history(venture) == []
