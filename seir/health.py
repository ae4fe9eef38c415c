"""/healthz: is the database answering, and is the Celery broker reachable? And how long
has the oldest undelivered outbox message waited (work the worker has not done yet)?"""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from outbox.selectors import outbox_oldest_undelivered_age

from .celery import app as celery_app

BROKER_TIMEOUT_SECONDS = 3


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False


def broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        return True
    except Exception:  # noqa: BLE001
        return False


def outbox_age_seconds() -> int | None:
    """Whole seconds the oldest undelivered outbox message has waited; None if none."""
    try:
        age = outbox_oldest_undelivered_age()
    except Exception:  # noqa: BLE001 - the database check already says what is wrong
        return None
    return None if age is None else int(age.total_seconds())


@never_cache
@require_GET
def healthz(request):
    checks = {"database": database_ok(), "broker": broker_ok()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **{name: ("ok" if ok else "unavailable") for name, ok in checks.items()},
        # Reported, not judged: a backlog is for monitoring to alert on, not a reason for
        # a load balancer to take the web process out.
        "outbox_oldest_undelivered_seconds": outbox_age_seconds() if checks["database"] else None,
    }
    return JsonResponse(body, status=200 if healthy else 503)
