"""Writing uploads through Django's storage API (local private media or S3 by settings)."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.storage import default_storage

log = logging.getLogger(__name__)


def random_name(prefix: str, extension: str) -> str:
    """A storage name that says nothing about the file and cannot be guessed."""
    prefix = prefix.strip("/")
    return (
        f"{prefix}/{uuid.uuid4().hex}.{extension}" if extension else f"{prefix}/{uuid.uuid4().hex}"
    )


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    ):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@contextmanager
def stored_file(upload, *, prefix: str, extension: str, storage=None) -> Iterator[str]:
    """Save ``upload`` under a random name and yield the stored name. If the block raises
    (the database row could not be written, the transaction fails), the file is deleted
    again, so a failed upload leaves nothing behind in storage.

    Use it inside the service's ``transaction.atomic`` around the row's creation.
    """
    storage = storage or default_storage
    upload.seek(0)
    name = storage.save(random_name(prefix, extension), upload)
    try:
        yield name
    except BaseException:
        try:
            storage.delete(name)
        except Exception:  # the original error matters more than a failed clean-up
            log.exception("Could not delete %s after a failed upload", name)
        raise
