"""Demo notifications: each demo person finds a few in their inbox.

Told through the same fan-out as real events (``notify_event``), newest events first,
until each person the rules name has a few, so the same rules decide who hears of what.
A demo login the rules name for none of the seeded events (the administrator, whose
programme's ventures all have an owning SEiR) is told of the latest few it may see, so
every login shows the inbox. No email is sent for them (the seeded history is old
news); the daily digest picks up those still unread. Idempotent: a person is told of an
event once."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from accounts.models import User
from demo import content
from events.models import Event
from events.registry import notify_rule, notify_rules
from events.services import NOTIFY_TOPIC
from outbox.models import OutboxMessage

from .models import Notification
from .notifications import notify_event

FEW = 3
# How far back to look: enough for every demo person, bounded for large demo data.
LOOK_AT = 1000


def seed_demo(*, stdout=None) -> None:
    logins = list(User.objects.filter(username__in=[row["username"] for row in content.users()]))
    held = Counter(Notification.objects.values_list("user_id", flat=True))
    if logins and all(held[person.pk] for person in logins):
        return  # seeded already: a second run looks no further (two queries)
    before = sum(held.values())
    codes = [rule.code for rule in notify_rules()]
    latest = list(Event.objects.filter(kind__in=codes).order_by("-at", "-pk")[:LOOK_AT])
    for event in latest:
        wanted = set(notify_rule(event.kind).audience(event)) - {event.actor_id}
        if any(held[pk] < FEW for pk in wanted):
            for notification in notify_event(event.pk, email=False):
                held[notification.user_id] += 1
    for person in logins:
        for event in latest:
            if held[person.pk] >= FEW:
                break
            if notify_event(event.pk, email=False, audience=[person.pk]):
                held[person.pk] += 1
    # The seeded events' own outbox rows are done: the fan-out above stands for them, and
    # a worker started by `make run` must not email weeks of seeded history at once.
    OutboxMessage.objects.filter(topic=NOTIFY_TOPIC, delivered_at__isnull=True).update(
        delivered_at=timezone.now(), taken_at=None
    )
    if stdout is not None:
        stdout.write(f"Notifications: {Notification.objects.count() - before} new.")
