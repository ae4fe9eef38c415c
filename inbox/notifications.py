"""The fan-out: one event becomes a notification for each person its rule tells.

Runs in the worker (the outbox's consumer of topic ``event.notify``), never inside the
service that recorded the event. Who is told is the kind's rule
(``events.registry.notify``): its audience, less the actor, inactive accounts and anyone
the page the notification links to would refuse (``may_see``, the pages' own checks).
Each person's notification is written once (unique per person and event), and the
immediate email is claimed before it is sent, so a second delivery of the same event,
by a retry or the outbox's drain, tells nobody twice.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import user_primary_role
from events.models import Event
from events.registry import get_kind, may_see_preload, notify_rule
from seir.mail import one_line

from .models import Delivery, Notification, NotificationPreference
from .services import unread_changed

log = logging.getLogger(__name__)


def role_code(user: User) -> str | None:
    """The role whose email defaults apply to ``user``: their most senior one (a
    programme's administrator hears as its SEiR does)."""
    role = user_primary_role(user=user)
    if role == Role.ADMINISTRATOR:
        return Role.SEIR.value
    return role.value if role else None


def delivery_for(user: User, kind: str, *, chosen: dict[str, str] | None = None) -> str:
    """How ``user`` hears of ``kind`` by email: their choice, else their role's default."""
    if chosen is None:
        chosen = dict(
            NotificationPreference.objects.filter(user=user).values_list("kind", "delivery")
        )
    if kind in chosen:
        return chosen[kind]
    rule = notify_rule(kind)
    return rule.email_default(role_code(user)) if rule else Delivery.OFF


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def describe(event: Event) -> str:
    """One line saying what happened, for the inbox and the email."""
    kind = get_kind(event.kind)
    label = kind.label if kind else event.kind
    about = event.data.get("label") or event.subject_label
    who = event.actor.display_name if event.actor_id and event.actor else "The system"
    parts = [f"{label}"]
    if about:
        parts.append(f": {about}")
    if event.venture_label:
        parts.append(f" ({event.venture_label})")
    return f"{''.join(parts)}, by {who}"


def notify_event(
    event_id: int, *, email: bool = True, audience: list[int] | None = None
) -> list[Notification]:
    """Tell everyone the event's rule names, who may see it, of event ``event_id``, and
    email those who hear of its kind at once (not with ``email=False``: demo data).
    ``audience`` replaces the rule's (demo data only; the checks still apply).
    Returns the notifications written by this call (none on a second call)."""
    event = Event.objects.select_related("actor").filter(pk=event_id).first()
    rule = notify_rule(event.kind) if event is not None else None
    if rule is None:
        return []
    named = rule.audience(event) if audience is None else audience
    wanted = [pk for pk in dict.fromkeys(named) if pk and pk != event.actor_id]
    people = User.objects.filter(pk__in=wanted, is_active=True).order_by("pk")
    told = [person for person in people if rule.may_see(person, event)]
    if not told:
        return []
    link = rule.link(event) if rule.link else reverse("home")
    now = timezone.now()
    with transaction.atomic():
        already = set(
            Notification.objects.filter(event=event, user__in=told).values_list(
                "user_id", flat=True
            )
        )
        written = Notification.objects.bulk_create(
            [
                Notification(user=person, event=event, link=link, created_at=now)
                for person in told
                if person.pk not in already
            ],
            ignore_conflicts=True,
        )
        unread_changed([person.pk for person in told if person.pk not in already])
    if not email:
        return written
    failed: Exception | None = None
    for notification in Notification.objects.filter(
        event=event, user__in=told, emailed_at__isnull=True
    ).select_related("user", "event__actor"):
        if delivery_for(notification.user, event.kind) == Delivery.IMMEDIATE:
            # One address the mail server refuses stops nobody else's email; the error
            # is raised once the others are sent, so the outbox retries the unsent.
            try:
                email_now(notification)
            except Exception as error:  # noqa: BLE001 - raised again below
                log.warning("Notification %s not emailed: %r", notification.pk, error)
                failed = failed or error
    if failed is not None:
        raise failed
    return written


def still_seen(user: User, event: Event) -> bool:
    """Whether ``user`` may still see ``event`` (its rule's ``may_see``, read now): an
    email that goes after the notification was written (the digest, a delivery the
    outbox retried) is not sent to someone whose access has been revoked since."""
    rule = notify_rule(event.kind)
    return rule is not None and rule.may_see(user, event)


def seen_lines(user: User, notifications) -> list[tuple[Notification, str | None]]:
    """Each of ``notifications`` (``user``'s) with its line, or None where ``user`` may no
    longer see what it is about (``still_seen``): the inbox shows no venture's name or
    event to someone whose access has been revoked since it was written. What the checks
    read is read for all the rows at once (``may_see_preload``)."""
    notifications = list(notifications)
    may_see_preload([n.event for n in notifications])
    return [(n, describe(n.event) if still_seen(user, n.event) else None) for n in notifications]


def email_now(notification: Notification) -> bool:
    """Email one notification at once, unless it has been emailed already. The row is
    claimed first (one conditional update), so two deliveries never both send; if the mail
    server refuses, the claim is undone and the error raised for the task to retry."""
    user = notification.user
    if not user.email or not still_seen(user, notification.event):
        return False
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    try:
        send_mail(
            subject=one_line(f"SEiR Pipeline: {describe(notification.event)}")[:150],
            message=render_to_string(
                "inbox/email/notification.txt",
                {
                    "user": user,
                    "line": describe(notification.event),
                    "url": site_url(reverse("inbox:open", args=[notification.pk])),
                    "preferences_url": site_url(reverse("inbox:preferences")),
                },
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
    except Exception:
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        raise
    return True


def consume(payload: dict) -> None:
    """The outbox's consumer of topic ``event.notify``: ``{"event_id": id}``."""
    event_id = payload.get("event_id")
    if isinstance(event_id, int):
        notify_event(event_id)
    else:
        log.warning("event.notify message without an event id: %r", payload)
