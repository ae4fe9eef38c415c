from django.apps import AppConfig


class VenturesConfig(AppConfig):
    name = "ventures"

    def ready(self):
        from accounts import hooks

        from . import events, gates, services, stage_days, tabs, targets  # noqa: F401 - registers

        events.register()
        hooks.on_programme_created(services.programme_install_default_stages)

        from accounts.models import Programme, ProgrammeMembership, User
        from seir import refcache

        from . import reference

        # What the venture list's filter offers (ventures.filters._offered_choices), and
        # the reference data the pages read (ventures.reference).
        refcache.invalidate_on_change(Programme, ProgrammeMembership, User, *reference.MODELS)
