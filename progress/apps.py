from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = "Programme progress"

    def ready(self):
        from . import (
            events,
            tasks,  # noqa: F401 - registers the report tasks with Celery
        )

        events.register()
