from django.apps import AppConfig


class SeirConfig(AppConfig):
    """The project package as an app: only wiring that every app relies on."""

    name = "seir"
    verbose_name = "SEiR Pipeline"

    def ready(self):
        from . import lookups

        lookups.register()
