from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "checklists"
    verbose_name = "Due-diligence checklists"

    def ready(self):
        from seir.jinja2 import register_global
        from ventures import gates, tabs

        from . import (
            events,
            tallies,  # noqa: F401 - its signals keep ItemDay
            tasks,  # noqa: F401 - registers the beat task with Celery
        )
        from .gate import ChecklistItemAcceptedKind, ChecklistItemsAcceptedKind
        from .permissions import tab_visible
        from .templatetags.checklists_tags import status_badge

        events.register()
        register_global("checklist_status_badge", status_badge)
        gates.register(ChecklistItemsAcceptedKind())
        gates.register(ChecklistItemAcceptedKind())
        tabs.register_tab(
            tabs.VentureTab(
                code="checklist",
                label="Due diligence",
                url_name="checklists:venture",
                order=20,
                visible=tab_visible,
            )
        )
        from . import asks  # noqa: F401 - registers its source of "what is asked" (ventures.asks)
