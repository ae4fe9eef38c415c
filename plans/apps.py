from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Business plans"

    def ready(self):
        from ventures import gates
        from ventures.tabs import VentureTab, register_tab

        from . import events
        from .gates import BusinessPlanApprovedKind

        gates.register(BusinessPlanApprovedKind())
        events.register()
        register_tab(
            VentureTab(
                code="plan",
                label="Business plan",
                url_name="plans:plan",
                order=20,
                visible=events.plan_readers,
            )
        )
        from . import asks  # noqa: F401 - registers its source of "what is asked" (ventures.asks)
