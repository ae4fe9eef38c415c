"""How events reach the inbox (subscribed from InboxConfig.ready()): inbox records no
kinds of its own; it fans out every event whose kind has a notification rule."""

from __future__ import annotations

from django.apps import apps


def register() -> None:
    from .notifications import consume

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
