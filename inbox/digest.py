"""The daily digest: one email a day listing what a person chose to hear of that way."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

from .models import Delivery, DigestSent, Notification, NotificationPreference
from .notifications import delivery_for, describe, seen_lines, site_url

log = logging.getLogger(__name__)

# Older unread notifications are left to the inbox: a digest is about the last days.
LOOK_BACK = datetime.timedelta(days=7)


def digest_send(*, today: datetime.date, now: datetime.datetime | None = None) -> int:
    """Send each person one digest of their unread, not yet emailed notifications whose
    kinds they hear of by email. At most one a day per person (``DigestSent`` claims the
    day before sending), so a second run the same day, a retry or a second worker sends
    nothing. Returns how many emails were sent.

    The kinds they hear of daily, and those they now hear of at once: a notification of
    such a kind still unemailed was waiting for this digest when they switched the kind
    from the digest to "at once" (the switch is not an email), so it goes here rather than
    nowhere. A kind switched to "no email" sends nothing, waiting or not. Each row is
    claimed (``emailed_at``) only if still unclaimed, so an email at once that took it
    meanwhile is never followed by the same line in the digest."""
    now = now or timezone.now()
    pending = Notification.objects.filter(
        emailed_at__isnull=True, read_at__isnull=True, created_at__gte=now - LOOK_BACK
    )
    sent = 0
    failed: Exception | None = None
    user_ids = sorted(set(pending.values_list("user_id", flat=True)))
    for user in User.objects.filter(pk__in=user_ids, is_active=True).exclude(email=""):
        chosen = dict(
            NotificationPreference.objects.filter(user=user).values_list("kind", "delivery")
        )
        emailed = [
            notification
            for notification in pending.filter(user=user)
            .select_related("event__actor")
            .order_by("created_at", "pk")
            if delivery_for(user, notification.event.kind, chosen=chosen) != Delivery.OFF
        ]
        rows = [notification for notification, line in seen_lines(user, emailed) if line]
        # One address the mail server refuses stops nobody else's digest; the error is
        # raised once the others are sent, so the task's retry sends the unsent.
        try:
            if rows and _send(user=user, rows=rows, today=today, now=now):
                sent += 1
        except Exception as error:  # noqa: BLE001 - raised again below
            log.warning("Daily digest to user %s not sent: %r", user.pk, error)
            failed = failed or error
    if failed is not None:
        raise failed
    return sent


def _send(*, user: User, rows: list[Notification], today: datetime.date, now) -> bool:
    try:
        with transaction.atomic():
            claim = DigestSent.objects.create(user=user, day=today, sent_at=now)
    except IntegrityError:
        return False  # today's digest has gone to them already
    Notification.objects.filter(pk__in=[row.pk for row in rows], emailed_at__isnull=True).update(
        emailed_at=now
    )
    claimed = set(
        Notification.objects.filter(pk__in=[row.pk for row in rows], emailed_at=now).values_list(
            "pk", flat=True
        )
    )
    rows = [row for row in rows if row.pk in claimed]
    if not rows:
        claim.delete()  # all emailed meanwhile: today's digest is still to come
        return False
    try:
        send_mail(
            subject=f"SEiR Pipeline: your daily digest ({len(rows)} new)",
            message=render_to_string(
                "inbox/email/digest.txt",
                {
                    "user": user,
                    "items": [
                        (describe(row.event), site_url(reverse("inbox:open", args=[row.pk])))
                        for row in rows
                    ],
                    "inbox_url": site_url(reverse("inbox:notifications")),
                    "preferences_url": site_url(reverse("inbox:preferences")),
                },
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
    except Exception:
        # The mail server refused: undo the claim so the retry sends it.
        Notification.objects.filter(pk__in=[row.pk for row in rows], emailed_at=now).update(
            emailed_at=None
        )
        claim.delete()
        raise
    return True
