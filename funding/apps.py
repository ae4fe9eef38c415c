from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Funding applications"

    def ready(self):
        from seir import refcache
        from ventures.tabs import VentureTab, register_tab

        from . import events
        from .models import Fund

        events.register()
        # The fund select's choices are cached reference data (funding.forms).
        refcache.invalidate_on_change(Fund)
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
