"""Reads of who has read what."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models

from accounts.models import User

from .models import Notification, Read

log = logging.getLogger(__name__)


def read_ids(*, user: User, model: type[models.Model], ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` (of ``model``) ``user`` has read: one query, none for no ids."""
    ids = {int(pk) for pk in ids}
    if not ids or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Read.objects.filter(
            user=user,
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=ids,
        ).values_list("object_id", flat=True)
    )


def notification_list(*, user: User):
    """``user``'s notifications, newest first, with what the page shows joined."""
    return (
        Notification.objects.filter(user=user)
        .select_related("event__actor")
        .order_by("-created_at", "-pk")
    )


def unread_key(*, user_id) -> str:
    return f"inbox:unread:{user_id}"


# A safety net only: every write of a person's notifications forgets their count at once
# and again after commit (``inbox.services.unread_changed``).
UNREAD_TIMEOUT = 10 * 60


def unread_count(*, user: User) -> int:
    """How many of ``user``'s notifications are unread: the bell's number on every page.

    Kept in the shared cache between the writes that change it (a notification written
    by the worker, one or all read), each of which forgets it, so the navigation costs
    no query on most pages and never shows an old number; one COUNT when it is not
    there (or the cache cannot be reached)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = unread_key(user_id=user.pk)
    try:
        found = cache.get(key)
    except Exception:  # noqa: BLE001 - the cache only saves work
        found = None
    if found is not None:
        return found
    count = Notification.objects.filter(user=user, read_at__isnull=True).count()
    try:
        cache.add(key, count, timeout=UNREAD_TIMEOUT)
    except Exception:  # noqa: BLE001
        log.warning("Cache unavailable: the unread count of %s not kept", user.pk)
    return count
