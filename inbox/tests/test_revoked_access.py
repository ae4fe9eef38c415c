"""Revoking access revokes it in the inbox too: a notification written while someone could
see its venture shows neither the venture's name nor what happened once they no longer
may, and opening it lands back on the inbox, not on the thing. The checks read what they
need for the whole page at once."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from events.services import event_record
from inbox.models import Notification
from inbox.notifications import notify_event
from ventures.factories import VentureFactory
from ventures.models import TeamMembership

pytestmark = pytest.mark.django_db

LINE = "Stage moved"
NAME = "Saheli Women&#x27;s Centre"
GONE = "You no longer have access to what this was about."


@pytest.fixture
def people():
    programme = ProgrammeFactory(name="Birmingham East and North SEiR programme")
    seir = member(programme, Role.SEIR, username="seir", email="samira@example.org")
    lead = member(programme, Role.ENTREPRENEUR, username="lead", email="lead@example.org")
    mate = member(programme, Role.ENTREPRENEUR, username="mate", email="tom@example.org")
    manager = member(programme, Role.MANAGER, username="manager", email="mo@example.org")
    venture = VentureFactory(
        programme=programme,
        stage_code="startup",
        name="Saheli Women's Centre",
        lead=lead,
        seir=seir,
    )
    TeamMembership.objects.create(venture=venture, user=mate)
    return {"seir": seir, "mate": mate, "manager": manager, "venture": venture}


def moved(people, times=1):
    for _ in range(times):
        with transaction.atomic():
            event = event_record(
                actor=people["seir"],
                kind="venture.moved",
                subject=people["venture"],
                venture=people["venture"],
                data={"from": "Start-up", "to": "Established"},
            )
        notify_event(event.pk, email=False)


def remove_from_team_behind_djangos_back(person, venture):
    """As another database client would: no signal, no service, no cache told."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM ventures_teammembership WHERE user_id = %s AND venture_id = %s",
            [person.pk, venture.pk],
        )


def test_a_removed_team_member_no_longer_reads_the_venture_in_their_inbox(client, people):
    # Given: the teammate was told of a move while on the team
    moved(people)
    mate = people["mate"]
    notification = Notification.objects.get(user=mate)
    client.force_login(mate)
    html = client.get(reverse("inbox:notifications")).content.decode()
    assert LINE in html and NAME in html
    # When: they leave the team (through another database client)
    remove_from_team_behind_djangos_back(mate, people["venture"])
    # Then: the row stays (it can be marked read) but says nothing of the venture
    page = client.get(reverse("inbox:notifications"))
    html = page.content.decode()
    assert page.status_code == 200
    assert NAME not in html and LINE not in html
    assert GONE in html
    assert f'href="{reverse("inbox:open", args=[notification.pk])}"' not in html
    assert reverse("inbox:mark", args=[notification.pk]) in html
    # and opening it by its address reads it and lands on the inbox, not the venture.
    opened = client.get(reverse("inbox:open", args=[notification.pk]), follow=True)
    assert opened.redirect_chain == [(reverse("inbox:notifications"), 302)]
    assert "You no longer have access to what that notification was about." in (
        opened.content.decode()
    )
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_still_allowed_reads_it_as_before(client, people):
    moved(people)
    remove_from_team_behind_djangos_back(people["mate"], people["venture"])
    client.force_login(people["manager"])
    html = client.get(reverse("inbox:notifications")).content.decode()
    assert LINE in html and NAME in html and GONE not in html
    notification = Notification.objects.get(user=people["manager"])
    opened = client.get(reverse("inbox:open", args=[notification.pk]))
    assert opened["Location"] == reverse("ventures:detail", args=[people["venture"].pk])


def test_the_checks_cost_the_same_for_one_row_as_for_many(client, people):
    mate = people["mate"]
    client.force_login(mate)
    moved(people)
    client.get(reverse("inbox:notifications"))  # warm: the session, the caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("inbox:notifications"))
    moved(people, times=7)
    assert Notification.objects.filter(user=mate).count() == 8
    client.get(reverse("inbox:notifications"))  # the bell's count, forgotten by the writes
    with CaptureQueriesContext(connection) as eight:
        html = client.get(reverse("inbox:notifications")).content.decode()
    assert html.count(LINE) >= 8
    assert len(eight) == len(one)
