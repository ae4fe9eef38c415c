"""The soak's pass criteria, checked against the soak's own database and mail directory
once the load and the faults are over (Django set up on the soak's settings).

1. No 5xx, except a clear 503 page (Retry-After, the "briefly unavailable" page) while
   PostgreSQL was down (its window, plus a grace for connections to come back).
2. Every write answered with success is in the database (found by what identifies it).
3. Every outbox row written during the soak was delivered, and each email once: one email
   per notification marked emailed, none twice, none for a notification never marked;
   one reminder email per person per reminder run.
4. The gunicorn workers' resident memory grew less than 10% from after warm-up to the end.
"""

from __future__ import annotations

import datetime as dt
import email
import json
import re
from collections import Counter
from email.policy import default
from pathlib import Path

POSTGRES_GRACE_SECONDS = 10
MEMORY_GROWTH_LIMIT = 0.10
EMAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"
REMINDER_SUBJECT = re.compile(r"\d+ reminders? for you$")
# A PCT manager's weekly digest (``reminders.consumers``): beat sends it on Mondays at
# 07:30, so a soak across that minute sees one per manager and programme.
DIGEST_SUBJECT = re.compile(r", the week from ")


def read_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def check_errors(errors: list[dict], postgres_window: tuple[float, float] | None) -> list[str]:
    problems = []
    for error in errors:
        during = postgres_window is not None and (
            postgres_window[0] <= error["at"] <= postgres_window[1] + POSTGRES_GRACE_SECONDS
        )
        if not (error["status"] == 503 and error["clear"] and during):
            when = dt.datetime.fromtimestamp(error["at"]).strftime("%H:%M:%S")
            problems.append(f"{error['status']} at {when} on {error['url']}")
    return problems


def _found(write: dict) -> bool:
    from checklists.models import Evidence
    from commissioning.models import Introduction, IntroductionStep
    from scouting.models import Meeting
    from ventures.models import FieldChange, VentureNote

    mark = write.get("marker", "")
    kind = write["kind"]
    if kind == "meeting":
        return Meeting.objects.filter(notes__contains=mark).exists()
    if kind == "venture_edit":
        return FieldChange.objects.filter(
            venture_id=write["venture"], field="area", new_display__contains=mark
        ).exists()
    if kind == "note":
        return VentureNote.objects.filter(venture_id=write["venture"], body__contains=mark).exists()
    if kind == "evidence":
        return Evidence.objects.filter(title__contains=mark).exists()
    if kind == "introduction":
        return Introduction.objects.filter(purpose__contains=mark).exists()
    if kind == "respond":
        return IntroductionStep.objects.filter(
            introduction_id=write["introduction"], note__contains=mark
        ).exists()
    raise ValueError(kind)


def check_writes(writes: list[dict]) -> tuple[Counter, list[str]]:
    """(successful writes per kind, those not found)."""
    from ventures.models import StageChange

    kinds = Counter(write["kind"] for write in writes)
    missing = [
        f"{w['kind']} {w.get('marker', '')}"
        for w in writes
        if w["kind"] != "move" and not _found(w)
    ]
    # A move carries no text of its own: each (venture, stage, person) answered 204 must
    # have at least as many stage changes by that person.
    moves = Counter((w["venture"], w["to_stage"], w["user"]) for w in writes if w["kind"] == "move")
    for (venture, stage, user), count in moves.items():
        found = StageChange.objects.filter(
            venture_id=venture, to_stage_id=stage, changed_by__username=user
        ).count()
        if found < count:
            missing.append(f"move of venture {venture} to stage {stage} by {user}: {found}/{count}")
    return kinds, missing


def read_mail(directory: Path) -> list[email.message.EmailMessage]:
    messages = []
    for path in sorted(directory.glob("*.log")) if directory.exists() else []:
        for chunk in path.read_bytes().split(EMAIL_SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk.strip(b"\n"), policy=default))
    return messages


def _body(message: email.message.EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def check_delivery(since: dt.datetime, mail_dir: Path) -> tuple[dict, list[str]]:
    from inbox.models import Notification
    from outbox.models import OutboxMessage
    from reminders.models import Reminder, ReminderKind

    problems = []
    rows = OutboxMessage.objects.filter(created_at__gte=since)
    undelivered = list(
        rows.filter(delivered_at__isnull=True).values_list("pk", "topic", "attempts")
    )
    if undelivered:
        problems.append(f"{len(undelivered)} outbox row(s) never delivered: {undelivered[:10]}")
    messages = read_mail(mail_dir)
    opened = Counter()
    reminder_emails, digest_emails = Counter(), Counter()
    for message in messages:
        body = _body(message)
        for pk in re.findall(r"/inbox/notifications/(\d+)/", body):
            opened[int(pk)] += 1
        if REMINDER_SUBJECT.search(str(message["Subject"])):
            reminder_emails[message["To"]] += 1
        elif DIGEST_SUBJECT.search(str(message["Subject"])):
            digest_emails[message["To"]] += 1
    emailed = set(Notification.objects.filter(emailed_at__gte=since).values_list("pk", flat=True))
    twice = sorted(pk for pk, count in opened.items() if count > 1)
    if twice:
        problems.append(f"notification(s) emailed more than once: {twice[:10]}")
    unsent = sorted(emailed - set(opened))
    if unsent:
        problems.append(f"notification(s) marked emailed but no email found: {unsent[:10]}")
    unmarked = sorted(
        set(opened)
        - set(Notification.objects.filter(emailed_at__isnull=False).values_list("pk", flat=True))
    )
    if unmarked:
        problems.append(f"email(s) for notifications never marked emailed: {unmarked[:10]}")
    runs = Counter()
    emailed_reminders = Reminder.objects.filter(emailed_at__gte=since)
    for email_address, _run in (
        emailed_reminders.exclude(kind=ReminderKind.DIGEST)
        .values_list("recipient__email", "run")
        .order_by()  # the model's ordering would make DISTINCT count rows, not runs
        .distinct()
    ):
        runs[email_address] += 1
    if runs != reminder_emails:
        problems.append(f"reminder emails per person {dict(reminder_emails)} != runs {dict(runs)}")
    # A digest is one row (a manager, a programme, a week) and one email of its own.
    digests = Counter(
        emailed_reminders.filter(kind=ReminderKind.DIGEST)
        .values_list("recipient__email", flat=True)
        .order_by()
    )
    if digests != digest_emails:
        problems.append(
            f"digest emails per person {dict(digest_emails)} != digests {dict(digests)}"
        )
    figures = {
        "outbox rows": rows.count(),
        "outbox delivered": rows.filter(delivered_at__isnull=False).count(),
        "notifications emailed": len(emailed),
        "notification emails": sum(opened.values()),
        "reminder emails": sum(reminder_emails.values()),
        "digest emails": sum(digest_emails.values()),
        "emails": len(messages),
    }
    return figures, problems


def check_memory(warm: int, end: int) -> tuple[float, list[str]]:
    growth = (end - warm) / warm if warm else 0.0
    problems = []
    if growth >= MEMORY_GROWTH_LIMIT:
        problems.append(
            f"gunicorn workers' RSS grew {growth:.1%} (limit {MEMORY_GROWTH_LIMIT:.0%})"
        )
    return growth, problems
