"""The one place a ready target report is announced.

``report_ready_notify`` queues one email for each of the programme's PCT managers with a
link to the report. The report's transaction puts a row in the outbox (topic
``REPORT_READY_TOPIC``, keyed by the run), whose delivery calls it after the commit. It
claims the run with a conditional update and, in the same transaction, puts one outbox
row per manager (topic ``REPORT_READY_EMAIL_TOPIC``, keyed by run and manager), so a
second delivery queues nothing twice, and an address the mail server refuses is retried
on its own: it neither stops the other managers' emails nor sends theirs again.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.selectors import users_with_role
from outbox.registry import register_consumer
from outbox.services import outbox_put
from seir.mail import one_line

from .models import ReportRun, RunStatus

log = logging.getLogger(__name__)

REPORT_READY_TOPIC = "email.report_ready"
REPORT_READY_EMAIL_TOPIC = "email.report_ready.manager"


def report_url(report_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("reports:detail", args=[report_id])


def _managers(run: ReportRun):
    return (
        users_with_role(programmes=[run.programme_id], role=Role.MANAGER)
        .exclude(email="")
        .order_by("pk")
    )


def report_ready_notify(*, run_id: int) -> int:
    """Queue the email saying run ``run_id``'s report is ready, one per manager of its
    programme. Returns the number queued (0 when already queued, or nothing to announce)."""
    with transaction.atomic():
        claimed = ReportRun.objects.filter(
            pk=run_id, status=RunStatus.DONE, report__isnull=False, notified_at__isnull=True
        ).update(notified_at=timezone.now())
        if not claimed:
            return 0
        run = ReportRun.objects.get(pk=run_id)
        managers = list(_managers(run).values_list("pk", flat=True))
        for user_id in managers:
            outbox_put(
                topic=REPORT_READY_EMAIL_TOPIC,
                payload={"run_id": run_id, "user_id": user_id},
                key=f"report-ready:{run_id}:{user_id}",
            )
    return len(managers)


def report_ready_email(*, run_id: int, user_id: int) -> int:
    """Email one manager that run ``run_id``'s report is ready, if they still manage its
    programme. Returns the number of emails sent (0 or 1); a refusal by the mail server
    is raised, for the outbox to try this one again."""
    run = (
        ReportRun.objects.select_related("programme", "report")
        .filter(pk=run_id, report__isnull=False)
        .first()
    )
    manager = _managers(run).filter(pk=user_id).first() if run else None
    if manager is None:
        return 0
    context = {"run": run, "report": run.report, "url": report_url(run.report_id)}
    subject = f"{run.programme.name}: the {run.get_kind_display().lower()} target report is ready"
    message = EmailMessage(
        subject=one_line(subject),
        body=render_to_string("progress/reports/email_ready.txt", context),
        to=[manager.email],
    )
    sent = message.send()
    log.info("Report %s announced to manager %s", run.report_id, user_id)
    return sent


@register_consumer(REPORT_READY_TOPIC)
def _deliver_report_ready(payload: dict) -> None:
    report_ready_notify(run_id=payload["run_id"])


@register_consumer(REPORT_READY_EMAIL_TOPIC)
def _deliver_report_ready_email(payload: dict) -> None:
    report_ready_email(run_id=payload["run_id"], user_id=payload["user_id"])
