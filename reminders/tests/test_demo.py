"""The first reminder run on the demo data has something to send (issue 18)."""

import pytest
from django.core import mail
from django.core.management import call_command

from reminders.models import Reminder, ReminderKind
from reminders.services import reminders_send

pytestmark = pytest.mark.django_db


def test_the_first_reminder_run_on_the_demo_data_sends_overdue_items(
    settings, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        queued = reminders_send()

    kinds = set(Reminder.objects.values_list("kind", flat=True))
    assert ReminderKind.ITEM_OVERDUE in kinds
    assert ReminderKind.FOLLOWUP_OVERDUE in kinds or ReminderKind.FOLLOWUP_DUE in kinds
    reminder_mails = [m for m in mail.outbox if "reminder" in m.subject]
    assert queued == len(reminder_mails) > 0
    # One email per person, never one per item.
    assert len({m.to[0] for m in reminder_mails}) == len(reminder_mails)
    assert Reminder.objects.count() > len(reminder_mails)
