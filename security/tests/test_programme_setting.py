"""A programme's administrators require two-factor sign-in of everyone in it, on the
programme's settings page; the change is recorded like any other setting."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Programme, User
from accounts.roles import Role
from accounts.services import membership_add, programme_create
from events.models import Event
from tests.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return programme_create(
        name="Birmingham East", host_organisation="BEN PCT", start_date=datetime.date(2009, 4, 1)
    )


def _member(programme, username, role):
    user = User.objects.create_user(username=username, password="x")
    membership_add(programme=programme, user=user, role=role)
    return user


def _form(programme, **extra):
    return {
        "target_ventures": str(programme.target_ventures),
        "target_stage_code": programme.target_stage_code,
        "start_date": programme.start_date.isoformat(),
        "end_date": programme.end_date.isoformat(),
        "stuck_after_days": str(programme.stuck_after_days),
        "quiet_after_days": str(programme.quiet_after_days),
        **extra,
    }


def test_an_administrator_requires_it_for_everyone(programme):
    administrator = _member(programme, "pat", Role.ADMINISTRATOR)
    url = reverse("invitations:programme_settings", args=[programme.pk])
    page = client_for(administrator).get(url).content.decode()
    assert "Require two-factor sign-in for everyone" in page

    response = client_for(administrator).post(url, _form(programme, require_two_factor="on"))

    assert response.status_code == 302
    assert Programme.objects.get(pk=programme.pk).require_two_factor is True
    event = Event.objects.get(kind="programme.settings_changed")
    assert event.data["changes"] == [
        {
            "field": "require_two_factor",
            "label": "Require two-factor sign-in for everyone",
            "old": "No",
            "new": "Yes",
        }
    ]


def test_a_seir_cannot_change_it(programme):
    seir = _member(programme, "sam", Role.SEIR)
    url = reverse("invitations:programme_settings", args=[programme.pk])
    response = client_for(seir).post(url, _form(programme, require_two_factor="on"))
    assert response.status_code in (403, 404)
    assert Programme.objects.get(pk=programme.pk).require_two_factor is False
    assert not Event.objects.filter(kind="programme.settings_changed").exists()
