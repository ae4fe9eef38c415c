from django.apps import AppConfig, apps


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = "Read receipts and notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import tasks  # noqa: F401 - registers the daily digest with Celery
        from .notifications import consume
        from .selectors import unread_count

        # Count the bell's number while signing in, so no page pays for it (it is then
        # kept until a notification of theirs is written or read).
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: unread_count(user=user),
            dispatch_uid="inbox-count-unread-at-sign-in",
            weak=False,
        )

        if apps.is_installed("outbox"):
            # The event's outbox row, written in the service's transaction, is delivered
            # here by the worker: the fan-out never runs inside the service.
            from outbox.registry import register_consumer

            register_consumer("event.notify")(consume)
        else:
            # Without the outbox, each event with a rule fans out after commit.
            from events.registry import ALL_KINDS, kind_notifies, subscribe

            def fan_out(event):
                if kind_notifies(event.kind):
                    consume({"event_id": event.pk})

            subscribe(ALL_KINDS)(fan_out)
