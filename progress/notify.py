"""The one place a ready target report is announced.

``report_ready_notify`` sends each of the programme's PCT managers one email with a link
to the report. The report's transaction puts a row in the outbox (topic
``REPORT_READY_TOPIC``, keyed by the run), whose delivery calls it after the commit and
again after a failure. It claims the run with a conditional update, so a second delivery
sends nothing twice, and gives the claim back if the mail server refuses, so the outbox's
retry sends it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.selectors import users_with_role
from outbox.registry import register_consumer

from .models import ReportRun, RunStatus

log = logging.getLogger(__name__)

REPORT_READY_TOPIC = "email.report_ready"


def report_url(report_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("reports:detail", args=[report_id])


def report_ready_notify(*, run_id: int) -> int:
    """Email the programme's managers that run ``run_id``'s report is ready. Returns the
    number of emails sent (0 when already sent, or nothing to announce)."""
    claimed = ReportRun.objects.filter(
        pk=run_id, status=RunStatus.DONE, report__isnull=False, notified_at__isnull=True
    ).update(notified_at=timezone.now())
    if not claimed:
        return 0
    run = ReportRun.objects.select_related("programme", "report").get(pk=run_id)
    managers = (
        users_with_role(programmes=[run.programme], role=Role.MANAGER)
        .exclude(email="")
        .order_by("pk")
    )
    context = {"run": run, "report": run.report, "url": report_url(run.report_id)}
    subject = f"{run.programme.name}: the {run.get_kind_display().lower()} target report is ready"
    body = render_to_string("progress/reports/email_ready.txt", context)
    messages = [
        EmailMessage(subject=subject, body=body, to=[manager.email]) for manager in managers
    ]
    if not messages:
        return 0
    try:
        sent = get_connection().send_messages(messages) or 0
    except Exception:
        ReportRun.objects.filter(pk=run_id).update(notified_at=None)
        raise
    log.info("Report %s announced to %s manager(s)", run.report_id, sent)
    return sent


@register_consumer(REPORT_READY_TOPIC)
def _deliver_report_ready(payload: dict) -> None:
    report_ready_notify(run_id=payload["run_id"])
