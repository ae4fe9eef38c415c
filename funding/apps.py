from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Funding applications"

    def ready(self):
        from ventures.tabs import VentureTab, register_tab

        from . import events

        events.register()
        register_tab(
            VentureTab(
                code="funding",
                label="Funding",
                url_name="funding:venture",
                order=40,
                visible=lambda user, venture, access: access.full_view,
            )
        )
        from . import asks  # noqa: F401 - registers its source of "what is asked" (ventures.asks)
