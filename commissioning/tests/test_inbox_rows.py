"""A commissioner's inbox of introductions, and a SEiR's of follow-ups, checks each row's
access with a fixed number of queries, however many rows the page has."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import member
from accounts.roles import Role
from commissioning.services import introduction_make
from events.models import Event
from inbox.models import Notification
from inbox.notifications import notify_event
from scouting.services import followup_add
from ventures.factories import VentureFactory

pytestmark = pytest.mark.django_db


def _told(kind: str) -> None:
    told = set(Notification.objects.values_list("event_id", flat=True))
    for event in Event.objects.filter(kind=kind).exclude(pk__in=told):
        notify_event(event.pk, email=False)


def _introduce(seir, contact, programme, n: int) -> None:
    for i in range(n):
        venture = VentureFactory(
            programme=programme, stage_code="pilot", name=f"Venture {i} of {n}", seir=seir
        )
        introduction_make(actor=seir, venture=venture, contact=contact, purpose="Falls pilot")
    _told("commissioning.introduction_made")


def _queries(client, user) -> tuple[int, str]:
    client.force_login(user)
    client.get(reverse("inbox:notifications"))  # warm: the session, the caches
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("inbox:notifications")).content.decode()
    return len(captured), html


def test_a_commissioners_inbox_checks_its_introductions_at_once(
    client, programme, seir, commissioner_user, contact
):
    _introduce(seir, contact, programme, 1)
    one, _ = _queries(client, commissioner_user)
    _introduce(seir, contact, programme, 5)
    assert Notification.objects.filter(user=commissioner_user).count() == 6

    six, html = _queries(client, commissioner_user)

    assert html.count("Venture ") >= 6
    assert six == one


def test_a_seirs_inbox_checks_its_follow_ups_at_once(client, programme, seir):
    colleague = member(programme, Role.SEIR, username="colleague")

    def assign(n: int) -> None:
        for i in range(n):
            followup_add(actor=colleague, programme=programme, what=f"Call back {i}", assignee=seir)
        _told("scouting.followup_added")

    assign(1)
    one, _ = _queries(client, seir)
    assign(5)
    assert Notification.objects.filter(user=seir).count() == 6

    six, _ = _queries(client, seir)

    assert six == one
