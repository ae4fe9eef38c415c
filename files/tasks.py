from celery import shared_task

from outbox.retry import RETRY_OPTIONS

from .housekeeping import orphaned_uploads_remove


@shared_task(ignore_result=True, **RETRY_OPTIONS)
def remove_orphaned_uploads() -> int:
    """Daily: uploads whose row never committed, past their grace period (see
    ``files.housekeeping``). Idempotent."""
    return len(orphaned_uploads_remove())
