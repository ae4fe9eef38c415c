from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders, digests and calendar feeds"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            consumers,  # noqa: F401  (registers the outbox consumers)
            events,
            tasks,  # noqa: F401  (registers the beat's tasks with Celery)
        )

        events.register()
