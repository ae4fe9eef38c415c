from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Health outcomes"

    def ready(self):
        from events.registry import EventKind, register_kinds
        from ventures.tabs import VentureTab, register_tab

        register_kinds(
            EventKind(
                "outcomes.indicator_added",
                "Outcome indicator added",
                "outcomes/events/indicator_added.html",
            ),
            EventKind(
                "outcomes.measurement_recorded",
                "Outcome measurement recorded",
                "outcomes/events/measurement_recorded.html",
            ),
            EventKind(
                "outcomes.measurement_corrected",
                "Outcome measurement corrected",
                "outcomes/events/measurement_corrected.html",
            ),
        )
        register_tab(
            VentureTab(code="outcomes", label="Outcomes", url_name="outcomes:venture", order=50)
        )
