from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "commissioning"

    def ready(self):
        from ventures import gates as venture_gates
        from ventures.tabs import VentureTab, register_tab

        from . import events, gates, permissions

        venture_gates.register(gates.HasContractKind())
        # No read-only grant with ventures: a commissioner reads an introduced venture's
        # profile on the introduction itself (permissions.can_read_introduced_profile),
        # never the pipeline's pages (issue 16, item 7).
        register_tab(
            VentureTab(
                code="commissioning",
                label="Commissioning",
                url_name="commissioning:venture_tab",
                order=50,
                visible=lambda user, venture, access: permissions.sees_venture_records(
                    user, venture
                ),
            )
        )
        events.register()
        from seir import refcache

        from . import reference

        refcache.invalidate_on_change(*reference.MODELS)
        from . import (
            asks,  # noqa: F401 - registers its source of "what is asked" (ventures.asks)
            tallies,  # noqa: F401 - its signals keep IntroductionDay
        )
