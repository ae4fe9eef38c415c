"""seed_demo leaves each demo person a few notifications (issue 18), without emailing
the seeded history, and a second run tells nobody twice."""

import io
from collections import Counter

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import F

from demo import content
from inbox.models import Notification

pytestmark = pytest.mark.django_db


def test_each_demo_person_has_a_few_notifications_and_a_second_run_adds_none():
    call_command("seed_demo", "--force", stdout=io.StringIO())
    held = Counter(Notification.objects.values_list("user__username", flat=True))
    assert {row["username"]: held[row["username"]] >= 2 for row in content.users()} == {
        row["username"]: True for row in content.users()
    }
    # Nobody is told of their own action.
    assert not Notification.objects.filter(event__actor=F("user")).exists()
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 0
    assert mail.outbox == []
    count = Notification.objects.count()
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert Notification.objects.count() == count


def test_after_the_demo_no_seeded_event_waits_in_the_outbox_to_be_emailed():
    # given the demo seeded (its events each wrote an outbox row in their transaction)
    call_command("seed_demo", "--force", stdout=io.StringIO())

    # then none is left for a worker to deliver: the demo's own fan-out stands for them,
    # so `make run`'s worker does not email weeks of seeded history at once
    from events.services import NOTIFY_TOPIC
    from outbox.models import OutboxMessage

    assert OutboxMessage.objects.filter(topic=NOTIFY_TOPIC).exists()
    assert not OutboxMessage.objects.filter(topic=NOTIFY_TOPIC, delivered_at__isnull=True).exists()
