from celery import shared_task
from django.conf import settings
from django.core.management import call_command


@shared_task(ignore_result=True)
def purge_consumed_broker_messages() -> int:
    """The SQLAlchemy (SQLite) broker never deletes consumed messages; do it here.

    A no-op on Redis. Safe to run twice: it deletes only messages already consumed.
    """
    if not settings.CELERY_BROKER_URL.startswith("sqla+sqlite"):
        return 0
    from sqlalchemy import create_engine, text

    engine = create_engine(settings.CELERY_BROKER_URL.removeprefix("sqla+"))
    try:
        with engine.begin() as conn:
            has_table = conn.execute(
                text("SELECT name FROM sqlite_master WHERE type='table' AND name='kombu_message'")
            ).first()
            if not has_table:
                return 0
            return conn.execute(text("DELETE FROM kombu_message WHERE visible = 0")).rowcount
    finally:
        engine.dispose()


@shared_task(ignore_result=True)
def clear_expired_sessions() -> None:
    call_command("clearsessions")


@shared_task
def ping() -> str:
    """Round trip used by /healthz checks and the real-worker test."""
    return "pong"
