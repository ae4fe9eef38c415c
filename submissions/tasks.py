from celery import shared_task

from outbox.retry import RETRY_OPTIONS

from .services import submission_tokens_remove_expired


@shared_task(ignore_result=True, **RETRY_OPTIONS)
def remove_expired_submission_tokens() -> int:
    """Daily: one-time form tokens past their keeping period. Idempotent: a retry or a
    second run finds nothing more to remove."""
    return submission_tokens_remove_expired()
