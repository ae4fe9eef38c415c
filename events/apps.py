from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events and activity"

    def ready(self):
        from seir.jinja2 import register_filter, register_global

        from . import events, rendering

        events.register()
        register_global("render_event", rendering.render_event)
        register_global("event_when", rendering.event_when)
        register_filter("event_date", rendering.event_date)
