"""Helpers that build business plans through the services (tests and demo data)."""

from __future__ import annotations

from accounts.models import User
from ventures.models import Venture

from . import services
from .models import BusinessPlan, PlanAction, PlanTemplateSection, PlanVersion


def section(code: str) -> PlanTemplateSection:
    return PlanTemplateSection.objects.get(template__is_default=True, code=code)


def write(actor: User, venture: Venture, texts: dict[str, str]) -> BusinessPlan:
    """Save ``{section code: text}`` into the venture's draft as ``actor``."""
    for code, text in texts.items():
        plan = BusinessPlan.objects.filter(venture=venture).first()
        current = plan.draft_sections.filter(section__code=code).first() if plan else None
        services.plan_section_save(
            actor=actor,
            venture=venture,
            section=section(code),
            body=text,
            expected_version=current.version if current else 0,
        )
    return BusinessPlan.objects.get(venture=venture)


def submit(actor: User, venture: Venture, note: str = "") -> PlanVersion:
    plan = BusinessPlan.objects.get(venture=venture)
    return services.plan_submit(
        actor=actor,
        venture=venture,
        expected_revision=plan.draft_revision,
        expected_number=plan.latest_number,
        note=note,
    )


def review(actor: User, version: PlanVersion, comments: dict[str, str], *, approve=False):
    """Comment ``{section code: text}`` on ``version``, then give feedback or approve."""
    for code, text in comments.items():
        services.plan_comment_add(actor=actor, version=version, section_code=code, body=text)
    action = PlanAction.APPROVE if approve else PlanAction.GIVE_FEEDBACK
    return services.plan_version_review(actor=actor, version=version, action=action)
