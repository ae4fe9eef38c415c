from celery import shared_task
from django.utils import timezone

from .services import checklist_items_expire


@shared_task
def expire_checklist_items() -> int:
    """Daily: accepted items whose validity has ended become expired. Thin and
    idempotent — the service only touches items still accepted, so a retry or a second
    run the same day expires nothing twice."""
    return checklist_items_expire(today=timezone.localdate())
