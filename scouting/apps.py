from django.apps import AppConfig


class ScoutingConfig(AppConfig):
    name = "scouting"
    verbose_name = "Scouting"

    def ready(self):
        from . import events

        events.register()
