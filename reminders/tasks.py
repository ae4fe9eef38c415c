from celery import shared_task

from .services import digests_send, reminders_send


@shared_task(name="reminders.tasks.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Daily: record every reminder now due and queue one email per recipient. Thin and
    idempotent — each reminder's key is unique, so a retry, a duplicated beat tick or a
    second worker sends nothing twice."""
    return reminders_send()


@shared_task(name="reminders.tasks.send_manager_digests", ignore_result=True)
def send_manager_digests() -> int:
    """Weekly: queue each PCT manager's digest of the week just ended (once per week)."""
    return digests_send()
