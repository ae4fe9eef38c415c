from django.apps import AppConfig


class ScoutingConfig(AppConfig):
    name = "scouting"
    verbose_name = "Scouting"

    def ready(self):
        from . import events, tallies  # noqa: F401  (tallies: its signals keep the summary rows)

        events.register()
        _erasure()


def _erasure():
    """A restore erases again every person the erasure log names (backups.erasure)."""
    from backups.erasure import register_erasure

    from .services.privacy import ERASURE_MODEL, person_erasure_reapply

    register_erasure(ERASURE_MODEL, person_erasure_reapply)
