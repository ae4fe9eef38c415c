"""Recording that a person has read something.

Reading is per-person view state, not a change to the thing: like ``last_login`` it
records no event (the activity feed says what happened to a venture, and "Samira opened
the feedback" is not that). It is the one write in the project without an
``event_record``, on purpose.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from events.registry import kind_notifies

from .models import Delivery, Notification, NotificationPreference, Read
from .selectors import unread_key

log = logging.getLogger(__name__)


def mark_read(*, user: User, objects: Iterable[models.Model], at=None) -> None:
    """Record that ``user`` has read each of ``objects`` (saved model instances).

    Idempotent and race-safe: a thing already read keeps its first ``read_at``, and two
    requests marking the same thing at once write one row (the unique constraint, with
    conflicts ignored, in one statement). Nothing is written, and no query made, when
    ``objects`` is empty or the user is anonymous.
    """
    if not getattr(user, "is_authenticated", False):
        return
    at = at or timezone.now()
    seen: set[tuple[int, int]] = set()
    rows = []
    for obj in objects:
        content_type = ContentType.objects.get_for_model(obj)
        key = (content_type.pk, obj.pk)
        if obj.pk is None or key in seen:
            continue
        seen.add(key)
        rows.append(Read(user=user, content_type=content_type, object_id=obj.pk, read_at=at))
    if not rows:
        return
    # Pages mark what they show on every visit: once all of it is read, a visit writes
    # nothing and keeps this person's cached pages (one read query instead).
    already = set(
        Read.objects.filter(
            user=user,
            content_type_id__in={row.content_type_id for row in rows},
            object_id__in=[row.object_id for row in rows],
        ).values_list("content_type_id", "object_id")
    )
    rows = [row for row in rows if (row.content_type_id, row.object_id) not in already]
    if not rows:
        return
    Read.objects.bulk_create(rows, ignore_conflicts=True)


# --- notifications: opened, marked read, and how a person wants to hear -------------------
# Like reading, these are a person's own view state and settings: no event is recorded
# (an event about a notification would itself notify nobody and crowd the feed).


def _mark_subjects_read(*, user: User, events, at) -> None:
    """The things the events are about become read by ``user`` (one ``Read`` each, the
    same record the to-do list asks), without loading the things."""
    rows = {
        (event.subject_type_id, int(event.subject_id)): Read(
            user=user,
            content_type_id=event.subject_type_id,
            object_id=int(event.subject_id),
            read_at=at,
        )
        for event in events
        if event.subject_type_id and str(event.subject_id).isdigit()
    }
    if rows:
        Read.objects.bulk_create(rows.values(), ignore_conflicts=True)


def unread_changed(user_ids) -> None:
    """Forget the unread count of each of ``user_ids`` (the bell's number), at once and
    again once the change commits, so no page shows an old count."""
    keys = [unread_key(user_id=pk) for pk in user_ids]

    def forget():
        try:
            cache.delete_many(keys)
        except Exception:  # noqa: BLE001 - then the count expires within its timeout
            log.error("Cache unavailable: could not forget unread counts %s", keys)

    forget()
    transaction.on_commit(forget, robust=True)


@transaction.atomic
def notification_read(*, user: User, notification: Notification, at=None) -> None:
    """``user`` opened or marked their ``notification`` read, and with it its thing.
    Idempotent: reading it again keeps the first ``read_at``."""
    if notification.user_id != user.pk:
        raise PermissionDenied("That notification is somebody else's.")
    at = at or timezone.now()
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=at)
    unread_changed([user.pk])
    _mark_subjects_read(user=user, events=[notification.event], at=at)


@transaction.atomic
def notifications_read_all(*, user: User, at=None) -> int:
    """Every unread notification of ``user`` becomes read (and their things). Returns how
    many were unread."""
    at = at or timezone.now()
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    events = [row.event for row in unread.select_related("event")]
    count = unread.update(read_at=at)
    unread_changed([user.pk])
    _mark_subjects_read(user=user, events=events, at=at)
    return count


@transaction.atomic
def preferences_set(*, user: User, choices: dict[str, str]) -> None:
    """Save how ``user`` wants email of each kind in ``choices`` (kind code -> delivery).
    Kinds that tell nobody and unknown deliveries are refused, and nothing is saved."""
    errors = {
        kind: "Choose at once, daily digest or no email."
        for kind, delivery in choices.items()
        if not kind_notifies(kind) or delivery not in Delivery.values
    }
    if errors:
        raise ValidationError(errors)
    for kind, delivery in choices.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )
