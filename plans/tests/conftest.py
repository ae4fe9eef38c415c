"""Fixtures for the plans tests: plans for the shared people's ventures (tests/people.py)."""

import pytest

from plans import factories
from plans.models import (
    BusinessPlan,
    DraftSection,
    PlanComment,
    PlanCommentReply,
    PlanReview,
    PlanVersion,
    PlanVersionSection,
)

SUMMARY_V1 = "Saheli runs sport for women in Balsall Heath. We open on Mondays."
SUMMARY_V2 = "Saheli runs sport and dry-slope skiing for women in Balsall Heath. We open on Mondays and Fridays."


@pytest.fixture
def drafted(venture, entrepreneur):
    """The venture's plan with two sections written, not yet submitted."""
    return factories.write(
        entrepreneur,
        venture,
        {
            "executive-summary": SUMMARY_V1,
            "financial-plan": "| Year | Income |\n|---|---|\n| 1 | £40,000 |",
        },
    )


@pytest.fixture
def submitted(drafted, venture, entrepreneur):
    """Version 1, submitted and waiting for the SEiR."""
    return factories.submit(entrepreneur, venture, note="First go.")


@pytest.fixture
def plan_snapshot():
    """Every row a plan action could write, to prove a refused action wrote nothing."""

    def take(venture) -> dict:
        from events.models import Event

        plan = BusinessPlan.objects.filter(venture=venture).values().first()
        return {
            "plan": plan,
            "drafts": sorted(
                DraftSection.objects.filter(plan__venture=venture).values_list(
                    "section__code", "body", "version"
                )
            ),
            "versions": PlanVersion.objects.filter(plan__venture=venture).count(),
            "version_sections": sorted(
                PlanVersionSection.objects.filter(version__plan__venture=venture).values_list(
                    "version__number", "code", "body"
                )
            ),
            "reviews": sorted(
                PlanReview.objects.filter(version__plan__venture=venture).values_list(
                    "version__number", "status"
                )
            ),
            "comments": PlanComment.objects.filter(version__plan__venture=venture).count(),
            "replies": PlanCommentReply.objects.filter(
                comment__version__plan__venture=venture
            ).count(),
            "events": Event.objects.filter(venture_id=venture.pk).count(),
        }

    return take
