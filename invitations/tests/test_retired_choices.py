"""A programme's target stage that is no longer one of its stages stays until an
administrator picks another: saving the settings with another field changed keeps it."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Programme
from events.models import Event
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_target_stage_no_longer_offered_stays_when_the_target_is_changed(
    programme, programme_administrator
):
    # given: the programme's target stage code is no longer one of its stages
    Programme.objects.filter(pk=programme.pk).update(target_stage_code="scale-up")
    url = reverse("invitations:programme_settings", args=[programme.pk])
    client = client_for(programme_administrator)

    # when: the administrator changes only the target number
    form = page_form(client.get(url).content, containing="target_stage_code")
    response = client.post(url, form.post_data(target_ventures="15"))

    # then: the stage was shown selected and marked, and is kept; the event names the target
    assert ("scale-up", "scale-up (no longer a stage)", True) in form.options["target_stage_code"]
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.target_ventures, programme.target_stage_code) == (15, "scale-up")
    event = Event.objects.get(kind="programme.settings_changed")
    assert [c["field"] for c in event.data["changes"]] == ["target_ventures"]


def test_a_stage_code_that_is_not_a_stage_is_not_chosen_afresh(
    programme, other_programme, programme_administrator
):
    # given: another programme's target stage is no longer a stage there
    Programme.objects.filter(pk=other_programme.pk).update(target_stage_code="scale-up")
    url = reverse("invitations:programme_settings", args=[programme.pk])
    client = client_for(programme_administrator)
    before = Programme.objects.values().get(pk=programme.pk)

    # when: the administrator sends that code for this programme
    form = page_form(client.get(url).content, containing="target_stage_code")
    response = client.post(url, form.post_data(target_stage_code="scale-up"))

    # then: refused with a message; nothing saved, no event
    assert response.status_code == 400
    assert "Select a valid choice. scale-up is not one of the available choices." in (
        response.content.decode()
    )
    assert Programme.objects.values().get(pk=programme.pk) == before
    assert not Event.objects.filter(kind="programme.settings_changed").exists()
