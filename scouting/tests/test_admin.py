"""Scouting's records change only through its services (issue 20, item 2): the admin shows
them to a global administrator or a superuser and refuses every add, change and delete,
so an idea's status, a person's erasure flag or a meeting's programme never change
there without the service's checks and its event."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from scouting.factories import FollowUpFactory, IdeaFactory, MeetingFactory
from scouting.models import Idea, IdeaStatus, Meeting, MeetingType, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture(params=["global_admin", "superuser"])
def admin_client(request, administrator, superuser):
    """A global administrator (``administrator``), and a superuser, signed in."""
    client = Client()
    client.force_login(administrator if request.param == "global_admin" else superuser)
    return client


@pytest.fixture
def idea(programme, nadia, seir):
    return IdeaFactory(
        programme=programme, title="Walking football", proposers=[nadia], created_by=seir
    )


@pytest.fixture
def meeting(programme, nadia, saheli, seir):
    return MeetingFactory(
        programme=programme,
        logged_by=seir,
        held_at=timezone.make_aware(datetime.datetime(2026, 2, 3, 10, 30)),
        location="Saheli Hub",
        attendees=[nadia],
        organisations=[saheli],
    )


def _change(model: str, pk: int) -> str:
    return reverse(f"admin:scouting_{model}_change", args=[pk])


def test_an_ideas_status_does_not_change_in_the_admin(admin_client, idea, nadia, snapshot):
    before = snapshot()

    response = admin_client.post(
        _change("idea", idea.pk),
        {
            "programme": str(idea.programme_id),
            "title": "Walking netball",
            "description": idea.description,
            "status": IdeaStatus.REJECTED,
            "status_reason": "",
            "proposers": [str(nadia.pk)],
            "created_by": str(idea.created_by_id),
        },
    )

    assert response.status_code == 403
    idea = Idea.objects.get(pk=idea.pk)
    assert (idea.title, idea.status, idea.status_reason) == ("Walking football", "new", "")
    assert snapshot() == before


def test_a_persons_erasure_flag_does_not_change_in_the_admin(admin_client, nadia, snapshot):
    before = snapshot()

    response = admin_client.post(
        _change("person", nadia.pk),
        {
            "programme": str(nadia.programme_id),
            "name": "Someone else",
            "organisation": str(nadia.organisation_id),
            "email": "",
            "is_erased": "on",
            "erased_at_0": "2026-02-03",
            "erased_at_1": "10:00:00",
        },
    )

    assert response.status_code == 403
    nadia = Person.objects.get(pk=nadia.pk)
    assert (nadia.name, nadia.email, nadia.is_erased, nadia.erased_at) == (
        "Nadia Hussain",
        "nadia@saheli.org.uk",
        False,
        None,
    )
    assert snapshot() == before


def test_a_meetings_programme_time_and_organisations_do_not_change_in_the_admin(
    admin_client, meeting, other_programme, surgery, saheli, snapshot
):
    before = snapshot()

    response = admin_client.post(
        _change("meeting", meeting.pk),
        {
            "programme": str(other_programme.pk),
            "held_at_0": "2026-03-01",
            "held_at_1": "09:00:00",
            "meeting_type": MeetingType.ONE_TO_ONE,
            "location": "Elsewhere",
            "organisations": [str(surgery.pk)],
            "logged_by": str(meeting.logged_by_id),
        },
    )

    assert response.status_code == 403
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.programme_id, meeting.held_at, meeting.location) == (
        saheli.programme_id,
        timezone.make_aware(datetime.datetime(2026, 2, 3, 10, 30)),
        "Saheli Hub",
    )
    assert list(meeting.organisations.values_list("name", flat=True)) == ["Saheli Women's Group"]
    assert snapshot() == before


@pytest.mark.parametrize("model", ["organisation", "person", "meeting", "idea", "followup"])
def test_no_scouting_record_is_added_or_deleted_in_the_admin(
    admin_client, model, programme, saheli, nadia, meeting, idea, snapshot
):
    followup = FollowUpFactory(programme=programme, meeting=meeting, what="Send the leaflet")
    record = {
        "organisation": saheli,
        "person": nadia,
        "meeting": meeting,
        "idea": idea,
        "followup": followup,
    }[model]
    before = snapshot()

    added = admin_client.post(
        reverse(f"admin:scouting_{model}_add"),
        {"programme": str(programme.pk), "name": "New", "title": "New", "what": "New"},
    )
    deleted = admin_client.post(
        reverse(f"admin:scouting_{model}_delete", args=[record.pk]), {"post": "yes"}
    )

    assert (added.status_code, deleted.status_code) == (403, 403)
    assert snapshot() == before
    assert type(record).objects.filter(pk=record.pk).exists()


def test_the_admin_shows_a_scouting_record_without_a_save_button(admin_client, idea):
    response = admin_client.get(_change("idea", idea.pk))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Walking football" in body
    assert 'name="_save"' not in body
