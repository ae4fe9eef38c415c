from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Funding applications"

    def ready(self):
        from events.registry import EventKind, register_kinds
        from ventures.tabs import VentureTab, register_tab

        register_kinds(
            EventKind(
                "funding.application_added",
                "Funding application added",
                "funding/events/application_added.html",
            ),
            EventKind(
                "funding.application_edited",
                "Funding application edited",
                "funding/events/application_edited.html",
            ),
            EventKind(
                "funding.document_added",
                "Funding document added",
                "funding/events/document_added.html",
            ),
            EventKind(
                "funding.status_changed",
                "Funding application status changed",
                "funding/events/status_changed.html",
            ),
        )
        self._notifications()
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

    def _notifications(self):
        """A funding decision (a status change) tells the team and the SEiR."""
        from events.registry import notify
        from ventures import notify as n

        from .permissions import can_view_funding

        notify(
            "funding.status_changed",
            audience=n.anyone_of(n.team, n.seir),
            may_see=n.reads(lambda user, venture, access: can_view_funding(user, venture)),
            link=n.venture_tab("funding:venture"),
            email={"entrepreneur": "immediate", "seir": "immediate"},
        )
