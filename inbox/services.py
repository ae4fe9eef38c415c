"""Recording that a person has read something.

Reading is per-person view state, not a change to the thing: like ``last_login`` it
records no event (the activity feed says what happened to a venture, and "Samira opened
the feedback" is not that). It is the one write in the project without an
``event_record``, on purpose.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User

from .models import Read


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
    with transaction.atomic():
        Read.objects.bulk_create(rows, ignore_conflicts=True)
