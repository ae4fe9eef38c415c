from celery import shared_task

from outbox.retry import RETRY_OPTIONS

from .services import digests_send, reminders_send

# The database restarting mid-run retries the run (the soak found a run lost to it):
# safe, since each reminder is written once under its unique key.


@shared_task(name="reminders.tasks.send_reminders", ignore_result=True, **RETRY_OPTIONS)
def send_reminders() -> int:
    """Daily: record every reminder now due and queue one email per recipient. Thin and
    idempotent — each reminder's key is unique, so a retry, a duplicated beat tick or a
    second worker sends nothing twice."""
    return reminders_send()


@shared_task(name="reminders.tasks.send_manager_digests", ignore_result=True, **RETRY_OPTIONS)
def send_manager_digests() -> int:
    """Weekly: queue each PCT manager's digest of the week just ended (once per week)."""
    return digests_send()
