from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = "Programme progress"

    def ready(self):
        from events.registry import register_kinds

        from . import tasks  # noqa: F401 - registers the report tasks with Celery
        from .events import EVENT_KINDS

        register_kinds(*EVENT_KINDS)
