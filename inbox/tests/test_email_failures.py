# ruff: noqa: F811  (the fixtures imported from test_notifications are used by name)
"""One person's email failing (an address the mail server refuses, a name with a line
break in it) never stops the others' emails, and what failed is retried."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from inbox.digest import digest_send
from inbox.models import Delivery, DigestSent, Notification
from inbox.notifications import notify_event
from inbox.services import preferences_set
from ventures.models import Venture

from .test_notifications import (  # noqa: F401  (fixtures)
    _move,
    entrepreneur,
    item,
    manager,
    outsider,
    programme,
    seir,
    submit,
    teammate,
    venture,
)

pytestmark = pytest.mark.django_db

REFUSED = "parveen@example.org"


def refusing(real, module: str, monkeypatch) -> None:
    """The mail server refuses Parveen's address and takes everyone else's."""

    def send_mail(*args, recipient_list, **kwargs):
        if REFUSED in recipient_list:
            raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"No such user")})
        return real(*args, recipient_list=recipient_list, **kwargs)

    monkeypatch.setattr(f"{module}.send_mail", send_mail)


def test_a_refused_address_does_not_stop_the_others_immediate_email(venture, seir, monkeypatch):
    # Given: the team (Parveen, then Tom) hears of a move at once; Parveen's address is
    # refused by the mail server
    from inbox import notifications

    refusing(notifications.send_mail, "inbox.notifications", monkeypatch)
    event = _move(venture, seir)
    # When: the event is fanned out
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        notify_event(event.pk)
    # Then: Tom has his email; Parveen's waits for the outbox's retry, which sends hers
    # alone once her address is taken
    assert [m.to for m in mail.outbox] == [["tom@example.org"]]
    assert Notification.objects.get(user__email=REFUSED).emailed_at is None
    monkeypatch.undo()
    assert notify_event(event.pk) == []
    assert [m.to for m in mail.outbox] == [["tom@example.org"], [REFUSED]]


def test_a_refused_address_does_not_stop_the_others_daily_digest(
    venture, seir, entrepreneur, teammate, monkeypatch
):
    # Given: Parveen and Tom hear of moves in the daily digest (the manager does by
    # default); Parveen's address is refused by the mail server
    from inbox import digest

    for person in (entrepreneur, teammate):
        preferences_set(user=person, choices={"venture.moved": Delivery.DIGEST})
    notify_event(_move(venture, seir).pk)
    assert mail.outbox == []
    refusing(digest.send_mail, "inbox.digest", monkeypatch)
    today = timezone.localdate()
    # When: the digest runs
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        digest_send(today=today)
    # Then: the others have theirs; Parveen's is not claimed, so the task's retry sends
    # it to her alone
    assert sorted(m.to[0] for m in mail.outbox) == ["mo@example.org", "tom@example.org"]
    assert not DigestSent.objects.filter(user=entrepreneur).exists()
    monkeypatch.undo()
    assert digest_send(today=today) == 1
    assert mail.outbox[-1].to == [REFUSED]
    assert DigestSent.objects.count() == 3


def test_a_line_break_in_a_name_does_not_stop_the_email(item, entrepreneur, venture):
    # Given: a venture's name with a line break in it (a header may not hold one)
    Venture.objects.filter(pk=venture.pk).update(name="Saheli\r\nWomen's Centre")
    # When: the entrepreneur submits an item and the SEiR is told at once
    notify_event(submit(item, entrepreneur).pk)
    # Then: the email goes, its subject on one line
    (message,) = mail.outbox
    assert message.subject == (
        "SEiR Pipeline: Checklist item submitted: Governing document "
        "(Saheli Women's Centre), by Parveen Akhtar"
    )
    assert Notification.objects.get().emailed_at is not None
