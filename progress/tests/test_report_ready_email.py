"""The "report ready" email goes to each PCT manager once: an address the mail server
refuses neither stops the other managers' emails nor, when the outbox tries again, sends
theirs a second time."""

from __future__ import annotations

import datetime
import smtplib

import django.core.mail.backends.locmem as locmem
import pytest
from django.core import mail
from django.utils import timezone

from accounts.factories import member
from accounts.roles import Role
from outbox.delivery import deliver_message, due_ids
from progress import tasks

pytestmark = pytest.mark.django_db

REFUSED = "refused@example.nhs.uk"


def test_a_refused_address_stops_no_other_manager_and_the_retry_sends_nobody_twice(
    programme, monkeypatch, django_capture_on_commit_callbacks
):
    # Given: three managers; the mail server refuses the second one's address (as the
    # SMTP backend does, the messages before it have gone when it raises)
    first = member(programme, Role.MANAGER, username="first", email="first@example.nhs.uk")
    member(programme, Role.MANAGER, username="refused", email=REFUSED)
    third = member(programme, Role.MANAGER, username="third", email="third@example.nhs.uk")
    real_send = locmem.EmailBackend.send_messages
    refusing = [True]

    def send_messages(self, messages):
        sent = 0
        for message in messages:
            if refusing[0] and REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"No such user")})
            sent += real_send(self, [message])
        return sent

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", send_messages)

    # When: the monthly report is made and its email delivered
    with django_capture_on_commit_callbacks(execute=True):
        tasks.report_generate_monthly()

    # Then: the first and the third manager have theirs
    assert sorted(m.to[0] for m in mail.outbox) == [first.email, third.email]

    # When: the address is taken again and the outbox sends what is left, twice over
    refusing[0] = False
    later = timezone.now() + datetime.timedelta(hours=2)  # past any backoff
    for _ in range(2):
        for message_id in due_ids(now=later):
            deliver_message(message_id, now=later)
        later += datetime.timedelta(hours=2)

    # Then: the refused manager has theirs, and nobody has two
    assert sorted(m.to[0] for m in mail.outbox) == [first.email, REFUSED, third.email]
