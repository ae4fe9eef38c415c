import smtplib

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from .digest import digest_send


@shared_task(
    name="inbox.send_daily_digest",
    autoretry_for=(smtplib.SMTPException, ConnectionError, DatabaseError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    max_retries=8,
)
def send_daily_digest() -> int:
    """Daily: each person's digest of the notifications they hear of once a day. Thin and
    idempotent: a person's digest is claimed for the day before it is sent, so a retry,
    a duplicated beat tick or a second worker sends nobody two."""
    return digest_send(today=timezone.localdate())
