"""Reads. Every function here applies the caller's permissions (404 when not allowed)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.http import Http404

from accounts.models import User
from seir.prepared import attach, prepared
from ventures.models import Venture
from ventures.permissions import VentureAccess
from ventures.selectors import venture_get

from .models import (
    BusinessPlan,
    DraftSection,
    PlanComment,
    PlanCommentReply,
    PlanTemplate,
    PlanTemplateSection,
    PlanVersion,
    PlanVersionSection,
)
from .permissions import PlanAccess, can_read_feedback, plan_access


def plan_venture_get(*, user: User, pk: int) -> tuple[Venture, VentureAccess, PlanAccess]:
    """The venture if ``user`` may read its business plan, else 404."""
    venture, access = venture_get(user=user, pk=pk)
    plan_rights = plan_access(user, venture, access)
    if not plan_rights.read_versions:
        raise Http404("No such business plan.")
    return venture, access, plan_rights


def plan_of(*, venture: Venture) -> BusinessPlan | None:
    found = _plan(venture.pk)
    plan = found[0] if found else None
    if plan is not None:
        plan.venture = venture
    return plan


def template_for(*, plan: BusinessPlan | None) -> PlanTemplate | None:
    if plan is not None:
        return plan.template
    return PlanTemplate.objects.filter(is_default=True, is_active=True).first()


@dataclass
class DraftRow:
    section: PlanTemplateSection
    draft: DraftSection | None
    # The section's text in the latest submitted version (None: no version yet).
    submitted_body: str | None

    @property
    def body(self) -> str:
        return self.draft.body if self.draft else ""

    @property
    def html(self) -> str:
        """The draft text as the page shows it (rendered when it was saved)."""
        return self.draft.html if self.draft else ""

    @property
    def version(self) -> int:
        return self.draft.version if self.draft else 0

    @property
    def changed_since_submitted(self) -> bool:
        return self.submitted_body is not None and self.submitted_body != self.body


def draft_rows(*, plan: BusinessPlan | None, template: PlanTemplate | None) -> list[DraftRow]:
    """Every section of the template with its draft text (three queries at most)."""
    if template is None:
        return []
    sections = _sections(template.pk)
    drafts, submitted = {}, {}
    if plan is not None:
        drafts = {d.section_id: d for d in _drafts(plan.pk)}
        if plan.latest_number:
            submitted = dict(_submitted(plan.pk, plan.latest_number))
    return [
        DraftRow(
            section=s,
            draft=drafts.get(s.pk),
            submitted_body=submitted.get(s.code, "") if plan and plan.latest_number else None,
        )
        for s in sections
    ]


def draft_row(*, plan: BusinessPlan | None, template: PlanTemplate, code: str) -> DraftRow:
    section = PlanTemplateSection.objects.filter(template=template, code=code).first()
    if section is None:
        raise Http404("No such section.")
    draft = None
    if plan is not None:
        draft = (
            DraftSection.objects.filter(plan=plan, section=section)
            .select_related("updated_by")
            .first()
        )
    submitted = None
    if plan is not None and plan.latest_number:
        submitted = (
            PlanVersionSection.objects.filter(
                version__plan=plan, version__number=plan.latest_number, code=code
            )
            .values_list("body", flat=True)
            .first()
        ) or ""
    return DraftRow(section=section, draft=draft, submitted_body=submitted)


def plan_versions(*, plan: BusinessPlan | None) -> list[PlanVersion]:
    if plan is None:
        return []
    return _versions(plan.pk)


# The plan page's reads, prepared (built and compiled once: seir/prepared.py).


@prepared
def _plan(venture_id):
    return (
        BusinessPlan.objects.select_related("template")
        .filter(venture_id=venture_id)
        .order_by("pk")[:1]
    )


@prepared
def _sections(template_id):
    return PlanTemplateSection.objects.filter(template_id=template_id).order_by("order")


@prepared
def _drafts(plan_id):
    return DraftSection.objects.filter(plan_id=plan_id).select_related("updated_by")


@prepared
def _submitted(plan_id, number):
    return PlanVersionSection.objects.filter(
        version__plan_id=plan_id, version__number=number
    ).values_list("code", "body")


@prepared
def _comments(version_id):
    section = PlanVersionSection.objects.filter(
        version=OuterRef("version"), code=OuterRef("section_code")
    )
    return (
        PlanComment.objects.filter(version_id=version_id)
        .annotate(
            section_title=Subquery(section.values("title")[:1]),
            section_order=Subquery(section.values("order")[:1]),
        )
        .select_related("author")
    )


@prepared
def _versions(plan_id):
    return (
        PlanVersion.objects.filter(plan_id=plan_id)
        .select_related("review", "submitted_by", "stage")
        .annotate(comment_count=Count("comments"))
        .order_by("-number")
    )


def version_get(*, plan: BusinessPlan | None, number: int) -> PlanVersion:
    """A version of ``plan`` (whose venture the caller may already read), else 404."""
    if plan is None:
        raise Http404("No such version.")
    version = (
        PlanVersion.objects.select_related("review", "submitted_by", "stage", "review__changed_by")
        .filter(plan=plan, number=number)
        .first()
    )
    if version is None:
        raise Http404("No such version.")
    version.plan = plan
    return version


def _with_replies(comments: list[PlanComment]) -> list[PlanComment]:
    """Each comment with ``reply_list``: its replies, oldest first, with their authors
    (one prepared query for a page's comments, none without any)."""
    return attach(comments, _replies, by="comment_id", name="reply_list")


@prepared
def _replies(comment_ids):
    return (
        PlanCommentReply.objects.filter(comment_id__in=comment_ids)
        .select_related("author")
        .order_by("comment", "created_at", "id")
    )


@dataclass
class VersionSectionRow:
    section: PlanVersionSection
    comments: list[PlanComment]


def feedback_released(*, version: PlanVersion, rights: PlanAccess) -> bool:
    """Whether ``rights`` may read the version's feedback (``permissions.can_read_feedback``)."""
    return can_read_feedback(rights, version.review.status)


def version_rows(
    *, version: PlanVersion, rights: PlanAccess
) -> tuple[list[VersionSectionRow], list[PlanComment]]:
    """The version's sections with the feedback on each that ``rights`` may see, and the
    whole-plan feedback (two queries)."""
    comments: dict[str, list[PlanComment]] = {}
    visible = []
    if feedback_released(version=version, rights=rights):
        visible = _with_replies(
            list(PlanComment.objects.filter(version=version).select_related("author"))
        )
    for comment in visible:
        comments.setdefault(comment.section_code, []).append(comment)
    rows = [
        VersionSectionRow(section=s, comments=comments.get(s.code, []))
        for s in PlanVersionSection.objects.filter(version=version).order_by("order")
    ]
    return rows, comments.get("", [])


def version_snapshot(*, version: PlanVersion) -> list[tuple[str, str, int, str]]:
    return list(
        PlanVersionSection.objects.filter(version=version)
        .order_by("order")
        .values_list("code", "title", "order", "body")
    )


@dataclass
class FeedbackThread:
    """One feedback comment on the plan page, with the section it is about."""

    comment: PlanComment
    title: str  # the section's title, or "The plan as a whole"
    order: int  # 0 for the plan as a whole


@dataclass
class PlanFeedback:
    version: PlanVersion
    threads: list[FeedbackThread]

    @property
    def comments(self) -> list[PlanComment]:
        return [t.comment for t in self.threads]


def plan_feedback(*, versions: list[PlanVersion], rights: PlanAccess) -> PlanFeedback | None:
    """The feedback the plan page shows: the latest version whose feedback ``rights`` may
    read and that has any, each comment with its replies, in section order (two
    queries; ``versions`` as ``plan_versions`` gives them, newest first)."""
    version = next(
        (v for v in versions if v.comment_count and feedback_released(version=v, rights=rights)),
        None,
    )
    if version is None:
        return None
    comments = _with_replies(_comments(version.pk))
    threads = [
        FeedbackThread(c, c.section_title or "The plan as a whole", c.section_order or 0)
        for c in comments
    ]
    threads.sort(key=lambda t: (t.order, t.comment.created_at, t.comment.pk))
    return PlanFeedback(version=version, threads=threads)


def comment_get(*, plan: BusinessPlan | None, pk: int, rights: PlanAccess) -> PlanComment:
    """A feedback comment on ``plan`` that ``rights`` may read, else 404."""
    comment = (
        PlanComment.objects.select_related("version__review")
        .filter(version__plan=plan, pk=pk)
        .first()
        if plan is not None
        else None
    )
    if comment is None or not feedback_released(version=comment.version, rights=rights):
        raise Http404("No such feedback.")
    comment.version.plan = plan
    return comment
