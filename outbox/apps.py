from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Outbox"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the outbox's tasks, and the uploads' housekeeping task (`files` is not
        # an installed app, so Celery's lazy autodiscovery reaches it only in a worker):
        # every process, tests included, then knows every task the beat schedule names.
        import files.tasks  # noqa: F401

        from . import tasks  # noqa: F401
