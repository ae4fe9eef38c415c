"""Save a submitted form once, however often it is posted."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.models import User

from .models import SubmissionToken

T = TypeVar("T")

ALREADY_SAVED = "That was already saved: it is shown below. Nothing was saved twice."
# How long a used token is kept. It stops a form sent twice from saving twice; a page
# left open longer than this was rendered before the person's session ended (two weeks
# by default), so its second POST would meet the sign-in page, not the service. A form
# whose draft, token included, outlives the page (kept on the device and restored onto a
# fresh one: the meeting log) saves with ``keep=True``, and its token is never removed.
TOKEN_KEEP = timedelta(days=30)


class AlreadySubmitted(Exception):
    """This form was already submitted; ``target`` is what that first submission saved."""

    def __init__(self, target=None):
        super().__init__(ALREADY_SAVED)
        self.message = ALREADY_SAVED
        self.target = target


def submission_save_once(
    *, actor: User, token: uuid.UUID | None, save: Callable[[], T], keep: bool = False
) -> T:
    """Run ``save`` (a service call) once per ``token``.

    The token is recorded in the same transaction as whatever ``save`` writes: if the
    service refuses, both roll back and the person can correct the form and send it
    again. A second submission of the same token raises ``AlreadySubmitted`` and writes
    nothing; one that arrives while the first is still saving waits for it (the unique
    key) and then gets the same answer. Without a token, ``save`` simply runs. With
    ``keep`` the token outlives ``TOKEN_KEEP`` (a form whose draft outlives its page).
    """
    if token is None:
        return save()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = SubmissionToken.objects.create(
                    user=actor, token=token, created_at=timezone.now(), kept=keep
                )
        except IntegrityError:
            first = SubmissionToken.objects.filter(user=actor, token=token).first()
            raise AlreadySubmitted(first.target if first else None) from None
        result = save()
        if isinstance(result, models.Model) and result.pk is not None:
            record.content_type = ContentType.objects.get_for_model(result)
            record.object_id = result.pk
            record.save(update_fields=["content_type", "object_id"])
        return result


def submission_find(*, actor: User, data, prefix: str = "") -> SubmissionToken | None:
    """The earlier submission of the token in ``data`` (a POST) by ``actor``, if any;
    ``prefix`` is the form's, when it has one.

    Lets a view answer a second submission before validating it again: a team member
    added by the first POST is no longer a valid choice for the second.
    """
    from seir.forms import submission_token_name

    name = submission_token_name(prefix)
    try:
        token = uuid.UUID(str(data.get(name, "")))
    except ValueError:
        return None
    return SubmissionToken.objects.filter(user=actor, token=token).first()


def submission_tokens_remove_expired(*, now: datetime | None = None) -> int:
    """Remove used tokens older than ``TOKEN_KEEP``, but not those saved with ``keep``
    (housekeeping, daily on beat); returns how many. Per-request bookkeeping, not a change
    to anything shown: records no event."""
    cutoff = (now or timezone.now()) - TOKEN_KEEP
    deleted, _ = SubmissionToken.objects.filter(created_at__lt=cutoff, kept=False).delete()
    return deleted
