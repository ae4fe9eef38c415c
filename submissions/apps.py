from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Form submissions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from seir.jinja2 import register_global

        from . import tasks  # noqa: F401 - registers the housekeeping task with Celery
        from .templatetags.submissions import submission_token_input

        register_global("submission_token_input", submission_token_input)
