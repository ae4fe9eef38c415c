"""Reads of who has read what."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from accounts.models import User

from .models import Read


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
