"""The reminder and digest emails claim their rows before sending: a copy of the outbox
message handed to a second worker while the first still waits on the mail server sends
nothing, and a refused send gives the claim back so the outbox's retry sends it."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from outbox.delivery import DELIVERED, FAILED, RESEND_AFTER, deliver_message
from outbox.models import OutboxMessage
from reminders import consumers, services
from reminders.consumers import digest_email, reminders_email
from reminders.models import Reminder
from seir.settings import base

from .conftest import NOW, TODAY, item

pytestmark = pytest.mark.django_db

MONDAY = timezone.make_aware(dt.datetime(2026, 3, 9, 7, 30))
LATER = dt.timedelta(minutes=1)


def queued(topic: str, write) -> OutboxMessage:
    """Run ``write``; its after-commit publish does not run here, so the row waits."""
    write()
    return OutboxMessage.objects.get(topic=topic)


def a_reminder_message(world) -> OutboxMessage:
    item(world, "Insurance", due=TODAY - dt.timedelta(days=3), owner=world.lead)
    item(world, "Bank account", due=TODAY - dt.timedelta(days=1), owner=world.lead)
    return queued(services.TOPIC_REMINDERS, lambda: services.reminders_send(now=NOW))


def a_digest_message(world) -> OutboxMessage:
    return queued(services.TOPIC_DIGEST, lambda: services.digests_send(now=MONDAY))


def the_drain_hands_it_on_while_sending(monkeypatch, message: OutboxMessage, at, results):
    """The first worker's send stalls past RESEND_AFTER; meanwhile a second worker is
    given the same message by the drain and runs it to the end."""
    real_send = consumers._send

    def stalled_send(**kwargs):
        if not results:
            results.append(deliver_message(message.pk, now=at + RESEND_AFTER + LATER))
        real_send(**kwargs)

    monkeypatch.setattr(consumers, "_send", stalled_send)


each_message = pytest.mark.parametrize(
    "make", [a_reminder_message, a_digest_message], ids=["reminders", "digest"]
)


def refusing_send(**kwargs):
    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@each_message
def test_a_second_worker_given_the_message_while_the_first_sends_sends_nothing(
    world, monkeypatch, make
):
    # Given: the message waits in the outbox, and the first worker's send will stall
    message = make(world)
    second = []
    the_drain_hands_it_on_while_sending(monkeypatch, message, NOW, second)

    # When: the first worker runs it (the second runs in full during its send)
    first = deliver_message(message.pk, now=NOW)

    # Then: both finished, and the person got one email
    assert (first, second) == (DELIVERED, [DELIVERED])
    assert len(mail.outbox) == 1
    assert Reminder.objects.filter(emailed_at=None).count() == 0


def test_the_reminders_email_lists_what_it_claimed(world, monkeypatch):
    message = a_reminder_message(world)
    second = []
    the_drain_hands_it_on_while_sending(monkeypatch, message, NOW, second)
    deliver_message(message.pk, now=NOW)
    (sent,) = mail.outbox
    assert sent.to == ["lead@example.nhs.uk"]
    assert sent.subject == "SEiR Pipeline: 2 reminders for you"


@pytest.mark.parametrize(
    ("make", "consumer"),
    [(a_reminder_message, reminders_email), (a_digest_message, digest_email)],
    ids=["reminders", "digest"],
)
def test_a_refused_send_leaves_the_rows_unclaimed_and_raises(world, monkeypatch, make, consumer):
    # Given: the message waits, and the mail server refuses
    message = make(world)
    monkeypatch.setattr(consumers, "_send", refusing_send)

    # When: the consumer runs
    with pytest.raises(smtplib.SMTPServerDisconnected):
        consumer(message.payload)

    # Then: nothing was sent and nothing is marked emailed
    assert mail.outbox == []
    assert Reminder.objects.filter(emailed_at__isnull=False).count() == 0


@each_message
def test_the_outbox_retry_after_a_refused_send_sends_it_once(world, monkeypatch, make):
    # Given: the first run's send is refused
    message = make(world)
    monkeypatch.setattr(consumers, "_send", refusing_send)
    assert deliver_message(message.pk, now=NOW) == FAILED
    monkeypatch.undo()

    # When: the outbox retries after its backoff, and once more
    assert deliver_message(message.pk, now=NOW + dt.timedelta(hours=1)) == DELIVERED
    consumer = consumers.reminders_email if "run" in message.payload else consumers.digest_email
    consumer(message.payload)

    # Then: one email, and every row marked
    assert len(mail.outbox) == 1
    assert Reminder.objects.filter(emailed_at=None).count() == 0


def test_an_smtp_send_gives_up_well_before_the_outbox_sends_the_message_again():
    assert base.EMAIL_TIMEOUT == 60
    assert settings.EMAIL_TIMEOUT == 60
    assert base.EMAIL_TIMEOUT < RESEND_AFTER.total_seconds() / 2
