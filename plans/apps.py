from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Business plans"

    def ready(self):
        from events.models import EventVisibility
        from events.registry import EventKind, register_kinds
        from ventures import gates
        from ventures.tabs import VentureTab, register_tab

        from .gates import BusinessPlanApprovedKind
        from .permissions import plan_access

        gates.register(BusinessPlanApprovedKind())
        register_kinds(
            EventKind(
                "plan.draft_saved", "Business plan draft saved", "plans/events/draft_saved.html"
            ),
            EventKind(
                "plan.version_submitted",
                "Business plan version submitted",
                "plans/events/version_submitted.html",
            ),
            # Feedback is released to the team by "feedback given": until then only
            # the SEiR and administrators see that it is being written.
            EventKind(
                "plan.comment_added",
                "Business plan feedback written",
                "plans/events/comment_added.html",
                visibility=EventVisibility.STAFF,
            ),
            EventKind(
                "plan.feedback_given",
                "Business plan feedback given",
                "plans/events/feedback_given.html",
            ),
            EventKind("plan.approved", "Business plan approved", "plans/events/approved.html"),
        )
        register_tab(
            VentureTab(
                code="plan",
                label="Business plan",
                url_name="plans:plan",
                order=20,
                visible=lambda user, venture, access: (
                    plan_access(user, venture, access).read_versions
                ),
            )
        )
