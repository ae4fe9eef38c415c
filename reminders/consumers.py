"""The emails: outbox consumers for the reminder and digest topics.

Each is idempotent: it claims the rows not yet marked emailed (one conditional update)
before sending, and sends only the rows it claimed, so a second delivery of the same outbox
message (a retry, a copy re-sent by the drain while the first still waits on the mail
server) sends nothing. If the mail server refuses, the claim is undone and the error
raised, so the outbox's retry sends it (as ``inbox.notifications.email_now`` and
``progress.notify`` do).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Programme, User
from outbox.registry import register_consumer
from seir.mail import one_line

from .digest import digest_for
from .models import Reminder, ReminderKind
from .permissions import reminders_still_for
from .services import TOPIC_DIGEST, TOPIC_REMINDERS


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def _send(*, user: User, subject: str, template: str, context: dict) -> None:
    context = {**context, "user": user, "site_url": site_url()}
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body=render_to_string(f"reminders/email/{template}.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string(f"reminders/email/{template}.html", context), "text/html"
    )
    message.send()


@contextmanager
def _claimed(pks: list[int]) -> Iterator[set[int]]:
    """Mark the rows ``pks`` emailed, those still unmarked only, and yield the ones this
    call marked (empty: another delivery has them, send nothing). If the block raises,
    the rows it claimed are unmarked again and the error goes on."""
    now = timezone.now()
    count = Reminder.objects.filter(pk__in=pks, emailed_at=None).update(emailed_at=now)
    if count == len(pks):
        claimed = set(pks)
    elif count:
        claimed = set(
            Reminder.objects.filter(pk__in=pks, emailed_at=now).values_list("pk", flat=True)
        )
    else:
        claimed = set()
    try:
        yield claimed
    except Exception:
        Reminder.objects.filter(pk__in=claimed, emailed_at=now).update(emailed_at=None)
        raise


@register_consumer(TOPIC_REMINDERS)
def reminders_email(payload: dict) -> None:
    """One email listing everything this run recorded for the person that they may still
    see (``reminders_still_for``, read now: access lost since the run withholds those
    rows, and all of them from a closed account). Withheld rows are claimed with the rest,
    so they are done with, and the outbox message ends delivered."""
    user = User.objects.filter(pk=payload["user_id"]).first()
    rows = list(
        Reminder.objects.filter(
            run=uuid.UUID(payload["run"]), recipient_id=payload["user_id"], emailed_at=None
        ).order_by(F("due_on").asc(nulls_last=True), "kind", "id")
    )
    if not rows:
        return
    with _claimed([r.pk for r in rows]) as claimed:
        rows = [r for r in rows if r.pk in claimed]
        rows = reminders_still_for(user, rows) if user is not None and user.email else []
        if rows:
            count = len(rows)
            _send(
                user=user,
                subject=f"SEiR Pipeline: {count} reminder{'s' if count != 1 else ''} for you",
                template="reminders",
                context={"reminders": rows},
            )


@register_consumer(TOPIC_DIGEST)
def digest_email(payload: dict) -> None:
    """A PCT manager's weekly digest for one programme."""
    reminder = (
        Reminder.objects.filter(
            pk=payload["reminder_id"], kind=ReminderKind.DIGEST, emailed_at=None
        )
        .select_related("recipient")
        .first()
    )
    if reminder is None:
        return
    user = reminder.recipient
    # The key names the programme (rows written before the programme was kept have only it).
    reminder.programme_id = reminder.programme_id or int(reminder.key.split(":")[1])
    programme = Programme.objects.filter(pk=reminder.programme_id).first()
    with _claimed([reminder.pk]) as claimed:
        # Access is read again when the email goes: a manager removed from the programme
        # since the digest was queued (or while the outbox retried) is sent nothing.
        if (
            claimed
            and programme is not None
            and user.email
            and reminders_still_for(user, [reminder])
        ):
            week_start: dt.date = reminder.due_on
            digest = digest_for(
                programme=programme, week_start=week_start, today=timezone.localdate()
            )
            _send(
                user=user,
                subject=f"SEiR Pipeline: {programme.name}, the week from "
                f"{week_start.day} {week_start:%b %Y}",
                template="digest",
                context={"digest": digest},
            )
