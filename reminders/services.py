"""Writes: a reminder run, the weekly digest's queueing, and calendar links.

A run records each reminder under its unique key and, in the same transaction, puts one
email per recipient in the outbox (``outbox_put``); the outbox delivers it after commit
or, if the broker is down, on its next drain. So a retried task, a duplicated beat tick
or a second worker finds every key taken and sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import ProgrammeMembership, User
from accounts.roles import Role
from events.services import event_record
from outbox.services import outbox_put

from .collect import Due, reminders_due
from .models import CalendarFeed, Reminder, ReminderKind

TOPIC_REMINDERS = "email.reminders"
TOPIC_DIGEST = "email.digest"


_INSERT = {
    # One statement for the whole run, whatever the number of rows: the rows travel as
    # one JSON parameter, so neither SQLite's 999-parameter batches nor PostgreSQL's
    # 65,535 split it; conflicts on the unique key are skipped, in key order.
    "sqlite": (
        "INSERT INTO {table} ({columns}) SELECT json_extract(value, '$[0]'), "
        "json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'), "
        "json_extract(value, '$[4]'), json_extract(value, '$[5]'), json_extract(value, '$[6]'), "
        "json_extract(value, '$[7]'), %s, %s "
        "FROM json_each(%s) WHERE 1 ON CONFLICT ({key}) DO NOTHING"
    ),
    "postgresql": (
        "INSERT INTO {table} ({columns}) SELECT r->>0, (r->>1)::bigint, r->>2, r->>3, r->>4, "
        "(r->>5)::date, (r->>6)::bigint, (r->>7)::bigint, %s, %s "
        "FROM json_array_elements(%s::json) AS r "
        "ON CONFLICT ({key}) DO NOTHING"
    ),
}
_COLUMNS = (
    "key",
    "recipient_id",
    "kind",
    "text",
    "url",
    "due_on",
    "venture_id",
    "programme_id",
    "run",
    "created_at",
)


def _insert(dues: list[Due], *, run: uuid.UUID, now: dt.datetime) -> None:
    if not dues:
        return
    sql = _INSERT.get(connection.vendor)
    if sql is None:  # another database: Django's batches
        Reminder.objects.bulk_create(
            [
                Reminder(
                    key=due.key,
                    recipient_id=due.recipient_id,
                    kind=due.kind,
                    text=due.text[:400],
                    url=due.url,
                    due_on=due.due_on,
                    venture_id=due.venture_id,
                    programme_id=due.programme_id,
                    run=run,
                    created_at=now,
                )
                for due in dues
            ],
            ignore_conflicts=True,
        )
        return
    quote = connection.ops.quote_name
    meta = Reminder._meta
    rows = json.dumps(
        [
            [
                due.key,
                due.recipient_id,
                due.kind,
                due.text[:400],
                due.url,
                due.due_on.isoformat() if due.due_on else None,
                due.venture_id,
                due.programme_id,
            ]
            for due in dues
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql.format(
                table=quote(meta.db_table),
                columns=", ".join(quote(meta.get_field(c).column) for c in _COLUMNS),
                key=quote("key"),
            ),
            [
                meta.get_field("run").get_db_prep_value(run, connection),
                meta.get_field("created_at").get_db_prep_value(now, connection),
                rows,
            ],
        )


def _record(dues: list[Due], *, run: uuid.UUID, now: dt.datetime) -> list[int]:
    """Insert the reminders no run has recorded yet (in key order) and return the
    recipients whose rows this run won: two queries whatever the number of rows."""
    _insert(dues, run=run, now=now)
    return list(
        Reminder.objects.filter(run=run)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Record every reminder due now and queue one email per recipient listing theirs.
    Returns the number of emails queued (0 when a previous run already sent them all).

    A run is the system's, not a person's action, so it records no event: each
    ``Reminder`` row is the record of what was sent to whom."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    dues = reminders_due(now=now, today=today)
    run = uuid.uuid4()
    with transaction.atomic():
        recipients = _record(dues, run=run, now=now)
        for user_id in recipients:
            outbox_put(
                topic=TOPIC_REMINDERS,
                payload={"run": str(run), "user_id": user_id},
                key=f"reminders:{run}:{user_id}",
            )
    return len(recipients)


def week_start_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def digests_send(*, now: dt.datetime | None = None) -> int:
    """Queue the weekly digest of the week just ended for every active PCT manager of a
    programme that is running. Keyed by programme, manager and week: sent once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    week_start = week_start_of(today) - dt.timedelta(days=7)
    week_end = week_start + dt.timedelta(days=7)
    memberships = (
        ProgrammeMembership.objects.filter(
            role=Role.MANAGER,
            user__is_active=True,
            programme__start_date__lt=week_end,
            programme__end_date__gte=week_start,
        )
        .order_by("programme_id", "user_id")
        .values_list("programme_id", "programme__name", "user_id")
    )
    run = uuid.uuid4()
    dues = [
        Due(
            key=f"{ReminderKind.DIGEST}:{programme_id}:{week_start:%Y-%m-%d}:{user_id}",
            recipient_id=user_id,
            kind=ReminderKind.DIGEST,
            text=f"{name}: the week from {week_start.day} {week_start:%b %Y}",
            url=reverse("programmes:detail", args=[programme_id]),
            due_on=week_start,
            programme_id=programme_id,
        )
        for programme_id, name, user_id in memberships
    ]
    with transaction.atomic():
        _record(dues, run=run, now=now)
        won = list(Reminder.objects.filter(run=run).order_by("key").values_list("pk", flat=True))
        for reminder_id in won:
            outbox_put(
                topic=TOPIC_DIGEST,
                payload={"reminder_id": reminder_id},
                key=f"digest:{reminder_id}",
            )
    return len(won)


# --- calendar links ---------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewFeed:
    feed: CalendarFeed
    token: str  # shown once; only its hash is stored


def calendar_feed_create(*, actor: User) -> NewFeed:
    """Make the person a new secret calendar link, turning off the one they had."""
    now = timezone.now()
    with transaction.atomic():
        # Lock the person's row so two clicks make one live link, never an error.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        replaced = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(
            revoked_at=now
        )
        token = secrets.token_urlsafe(32)
        feed = CalendarFeed(user=actor, token_hash=token_hash(token), created_at=now)
        feed.full_clean(validate_constraints=False)
        feed.save()
        event_record(
            actor=actor,
            kind="calendar.link_created",
            subject=feed,
            data={"replaced": bool(replaced)},
            at=now,
        )
    return NewFeed(feed=feed, token=token)


def calendar_feed_revoke(*, actor: User) -> int:
    """Turn off the person's calendar link; its address answers 404 from now on.
    Returns how many links were turned off (0: there was none, and nothing is recorded)."""
    now = timezone.now()
    with transaction.atomic():
        revoked = CalendarFeed.objects.filter(Q(user=actor) & Q(revoked_at__isnull=True)).update(
            revoked_at=now
        )
        if revoked:
            event_record(actor=actor, kind="calendar.link_revoked", data={}, at=now)
    return revoked


def calendar_feed_owner(*, token: str) -> User | None:
    """The active person whose live link ``token`` is, else None."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return feed.user if feed else None
