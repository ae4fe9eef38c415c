from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "backups"
    verbose_name = "Backups"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the nightly backup task, which the beat schedule names.
        from . import tasks  # noqa: F401
