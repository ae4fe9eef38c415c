from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events and activity"

    def ready(self):
        from . import events

        events.register()
