"""Changing how a kind is emailed loses nothing and sends nothing twice.

What a person waiting for tomorrow's digest has been told of is still emailed when they
switch that kind to "at once" (in the next digest: the items were already waiting, and
a burst of single emails at the moment of the switch would tell them nothing new); what
was emailed at once is not emailed again when they switch to the digest; "no email"
means none, waiting items included."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from events.services import event_record
from inbox import digest as digest_module
from inbox.digest import digest_send
from inbox.models import Delivery, Notification
from inbox.notifications import delivery_for, email_now, notify_event
from inbox.services import preferences_set
from ventures.factories import VentureFactory

pytestmark = pytest.mark.django_db

MOVED = "venture.moved"
LINE = "Stage moved: Saheli Women's Centre (Saheli Women's Centre), by Samira Patel"
TODAY = timezone.localdate


@pytest.fixture
def people():
    programme = ProgrammeFactory(name="Birmingham East and North SEiR programme")
    seir = member(
        programme,
        Role.SEIR,
        username="seir",
        first_name="Samira",
        last_name="Patel",
        email="samira@example.org",
    )
    lead = member(programme, Role.ENTREPRENEUR, username="lead", email="lead@example.org")
    manager = member(programme, Role.MANAGER, username="manager", email="mo@example.org")
    venture = VentureFactory(
        programme=programme,
        stage_code="startup",
        name="Saheli Women's Centre",
        lead=lead,
        seir=seir,
    )
    return {"seir": seir, "lead": lead, "manager": manager, "venture": venture}


def moved(people, *, email=True) -> Notification:
    with transaction.atomic():
        event = event_record(
            actor=people["seir"],
            kind=MOVED,
            subject=people["venture"],
            venture=people["venture"],
            data={"from": "Start-up", "to": "Established"},
        )
    notify_event(event.pk, email=email)
    return event


def emails_to(person) -> list:
    return [m for m in mail.outbox if m.to == [person.email]]


def test_switching_from_the_digest_to_at_once_still_emails_what_was_waiting(people):
    manager = people["manager"]
    # Given: the manager hears of moves in the daily digest (their role's default), and
    # one move waits for it
    assert delivery_for(manager, MOVED) == Delivery.DIGEST
    event = moved(people)
    assert emails_to(manager) == []
    # When: they switch moves to "at once", then the day's digest runs (twice)
    preferences_set(user=manager, choices={MOVED: Delivery.IMMEDIATE})
    assert digest_send(today=TODAY()) == 1
    assert digest_send(today=TODAY() + datetime.timedelta(days=1)) == 0
    # and the event's fan-out is delivered again (the outbox's retry)
    notify_event(event.pk)
    # Then: exactly one email tells them of the waiting move
    (email,) = emails_to(manager)
    assert LINE in email.body
    assert Notification.objects.get(user=manager).emailed_at is not None


def test_after_the_switch_a_new_one_goes_at_once_and_not_in_the_digest(people):
    manager = people["manager"]
    moved(people)
    preferences_set(user=manager, choices={MOVED: Delivery.IMMEDIATE})
    # When: a second move after the switch
    moved(people)
    # Then: it goes at once; the digest carries only the one that was waiting
    assert len(emails_to(manager)) == 1
    assert digest_send(today=TODAY()) == 1
    at_once, digest = emails_to(manager)
    assert LINE in at_once.body
    assert digest.subject == "SEiR Pipeline: your daily digest (1 new)"
    assert Notification.objects.filter(user=manager, emailed_at=None).count() == 0


def test_switching_from_at_once_to_the_digest_does_not_email_it_again(people):
    lead = people["lead"]
    # Given: the team hears of moves at once, and the lead was emailed of one
    assert delivery_for(lead, MOVED) == Delivery.IMMEDIATE
    event = moved(people)
    assert len(emails_to(lead)) == 1
    # When: they switch moves to the digest, the digest runs, the fan-out is retried
    preferences_set(user=lead, choices={MOVED: Delivery.DIGEST})
    assert digest_send(today=TODAY()) == 1  # the manager's
    notify_event(event.pk)
    # Then: still the one email
    (email,) = emails_to(lead)
    assert LINE in email.body


def test_switching_to_no_email_sends_nothing_more(people):
    manager = people["manager"]
    moved(people)
    preferences_set(user=manager, choices={MOVED: Delivery.OFF})
    assert digest_send(today=TODAY()) == 0
    assert emails_to(manager) == []
    assert Notification.objects.get(user=manager).emailed_at is None


def test_the_digest_never_sends_what_an_email_at_once_took_meanwhile(people, monkeypatch):
    manager = people["manager"]
    # Given: a waiting move whose kind the manager has just switched to "at once"
    moved(people, email=False)
    preferences_set(user=manager, choices={MOVED: Delivery.IMMEDIATE})
    waiting = Notification.objects.get(user=manager)
    real_seen_lines = digest_module.seen_lines

    def at_once_meanwhile(user, rows):
        # The worker emails it at once after the digest has read it, before it is claimed.
        lines = real_seen_lines(user, rows)
        if user == manager:
            assert email_now(Notification.objects.select_related("user").get(pk=waiting.pk))
        return lines

    monkeypatch.setattr(digest_module, "seen_lines", at_once_meanwhile)
    # When: the digest runs
    digest_send(today=TODAY())
    # Then: one email, not a second in a digest
    (email,) = emails_to(manager)
    assert LINE in email.body
    assert "digest" not in email.subject
