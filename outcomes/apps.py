from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Health outcomes"

    def ready(self):
        from seir import refcache
        from ventures.profile_sections import ProfileSection, register_profile_section
        from ventures.tabs import VentureTab, register_tab

        from . import events
        from .models import OutcomeDomain
        from .selectors import shared_indicator_list_for_venture

        events.register()
        # The domain select's choices are cached reference data (outcomes.forms).
        refcache.invalidate_on_change(OutcomeDomain)
        register_tab(
            VentureTab(
                code="outcomes",
                label="Outcomes",
                url_name="outcomes:venture",
                order=50,
                visible=lambda user, venture, access: access.full_view,
            )
        )
        register_profile_section(
            ProfileSection(
                code="outcomes",
                title="Outcomes the team shares",
                template="outcomes/profile_section.html",
                context=_shared_outcomes(shared_indicator_list_for_venture),
            )
        )


def _shared_outcomes(selector):
    def context(venture):
        indicators = selector(venture=venture)
        return {"indicators": indicators} if indicators else None

    return context
