"""The soak's delivery check counts a PCT manager's weekly digest as a digest, not as a
reminder email gone missing: beat sends the digests on Mondays at 07:30, and a soak
across that minute failed with "reminder emails per person ... != runs" while every
email had been sent."""

from __future__ import annotations

import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.mail import send_mail
from django.utils import timezone

from accounts.factories import UserFactory
from reminders.models import Reminder, ReminderKind

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from soak_verify import check_delivery  # noqa: E402

pytestmark = pytest.mark.django_db


def remind(user, kind, key):
    now = timezone.now()
    return Reminder.objects.create(
        key=key,
        recipient=user,
        kind=kind,
        text="Something",
        url="/",
        run=uuid.uuid4(),
        created_at=now,
        emailed_at=now,
    )


def test_a_digest_is_counted_as_a_digest(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    since = timezone.now() - timedelta(minutes=1)
    manager = UserFactory(username="mina", email="mina@example.nhs.uk")
    seir = UserFactory(username="sam", email="sam@example.nhs.uk")
    remind(seir, ReminderKind.ITEM_DUE, "item:1")
    remind(manager, ReminderKind.DIGEST, "digest:1")
    send_mail("SEiR Pipeline: 1 reminder for you", "Body", None, [seir.email])

    # when the manager's digest went out too: no problem
    send_mail("SEiR Pipeline: Birmingham, the week from 30 Nov 2026", "Body", None, [manager.email])
    figures, problems = check_delivery(since, tmp_path)
    assert problems == []
    assert (figures["reminder emails"], figures["digest emails"]) == (1, 1)


def test_a_digest_marked_sent_without_its_email_is_a_problem(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    since = timezone.now() - timedelta(minutes=1)
    manager = UserFactory(username="mina", email="mina@example.nhs.uk")
    remind(manager, ReminderKind.DIGEST, "digest:1")
    figures, problems = check_delivery(since, tmp_path)
    assert problems == ["digest emails per person {} != digests {'mina@example.nhs.uk': 1}"]
