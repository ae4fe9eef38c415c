from celery import shared_task
from django.conf import settings

from outbox.retry import RETRY_OPTIONS

from .services import backup_create, backups_prune


@shared_task(ignore_result=True, **RETRY_OPTIONS)
def backup_nightly() -> str:
    """Nightly: one archive, then only the newest SEIR_BACKUP_KEEP are kept. A retry
    after a failure writes a whole new archive (a failed one leaves none behind)."""
    result = backup_create()
    backups_prune(keep=settings.SEIR_BACKUP_KEEP)
    return str(result.path)
