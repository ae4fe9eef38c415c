from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = "Read receipts and notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import (
            events,
            tasks,  # noqa: F401 - registers the daily digest with Celery
        )
        from .selectors import unread_count

        # Count the bell's number while signing in, so no page pays for it (it is then
        # kept until a notification of theirs is written or read).
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: unread_count(user=user),
            dispatch_uid="inbox-count-unread-at-sign-in",
            weak=False,
        )
        events.register()
