"""Removing stored uploads no row refers to (their transaction rolled back).

``files.storage.stored_file`` deletes the file again when the block around the row's
creation raises, but a transaction can still roll back after that block has finished
(a later step of the service fails, the database refuses the commit): the row is gone
and the file stays. This finds such files and removes them once they are older than a
grace period, so a file whose row is still being committed is never touched.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

log = logging.getLogger(__name__)

GRACE = timedelta(days=1)
# Only names ``files.storage.random_name`` gives ("<prefix>/<32 hex>.<ext>"): anything
# else in the storage was not written by an upload and is never touched.
UPLOAD_NAME = re.compile(r"^(?:[\w.-]+/)+[0-9a-f]{32}(?:\.[A-Za-z0-9]{1,10})?$")


def _stored_names(storage, directory: str = "") -> Iterator[str]:
    directories, files = storage.listdir(directory)
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for sub in directories:
        yield from _stored_names(storage, f"{directory}/{sub}" if directory else sub)


def referenced_names() -> set[str]:
    """Every file name a row of any model's FileField refers to."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names.update(
                    model._default_manager.exclude(**{field.name: ""})
                    .exclude(**{f"{field.name}__isnull": True})
                    .values_list(field.name, flat=True)
                )
    return names


def orphaned_uploads_remove(*, now: datetime | None = None, storage=None) -> list[str]:
    """Delete uploads older than ``GRACE`` that no row refers to; returns their names.
    Idempotent: a second run finds them gone."""
    storage = storage or default_storage
    cutoff = (now or timezone.now()) - GRACE
    candidates = [
        name
        for name in _stored_names(storage)
        if UPLOAD_NAME.match(name) and storage.get_modified_time(name) < cutoff
    ]
    if not candidates:
        return []
    referenced = referenced_names()  # read after listing: a row committed meanwhile counts
    removed = []
    for name in candidates:
        if name in referenced:
            continue
        storage.delete(name)
        removed.append(name)
    if removed:
        log.info("Removed %s orphaned upload(s)", len(removed))
    return removed
