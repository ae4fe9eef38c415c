"""Writes to business plans. Every change goes through one of these services, which check
permission, lock, apply the state machine (``models.PLAN_TRANSITIONS``) and record an event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from events.services import event_record
from seir.refusals import Refused, require
from ventures.models import Venture

from .models import (
    COMMENT_MAX_CHARS,
    PLAN_TRANSITIONS,
    SECTION_MAX_CHARS,
    BusinessPlan,
    DraftSection,
    PlanAction,
    PlanComment,
    PlanCommentReply,
    PlanReview,
    PlanStatus,
    PlanTemplate,
    PlanTemplateSection,
    PlanVersion,
    PlanVersionSection,
)
from .permissions import can_read_feedback, can_reply_to_feedback, plan_access


class PlanError(Refused):
    """A refusal to show the person (never a 500)."""


class SectionConflict(PlanError):
    """Someone else saved this section after the person started editing it.

    ``current`` is the section as now saved (its body and version), so the form can show
    the other person's text beside the person's own, which is kept."""

    def __init__(self, *, current: DraftSection):
        who = current.updated_by.display_name if current.updated_by else "Someone else"
        super().__init__(
            f"{who} saved this section while you were editing it. Your text has not been "
            "saved: it is still in the form below, beside theirs. Merge the two, then save again."
        )
        self.current = current


def clean_text(text: str, *, limit: int, what: str) -> str:
    """Normalise line endings and refuse what the database or a reader cannot take."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise PlanError(f"The {what} contains a NUL character; remove it and try again.")
    if len(text) > limit:
        raise PlanError(f"The {what} is too long ({len(text):,} characters; at most {limit:,}).")
    return text


def default_template() -> PlanTemplate:
    template = PlanTemplate.objects.filter(is_default=True, is_active=True).first()
    if template is None:
        raise PlanError("No business plan template is set as the default: ask an administrator.")
    return template


def _lock_plan(venture: Venture, *, create: bool) -> BusinessPlan | None:
    """The venture's plan, locked for this transaction (created first if asked)."""
    # Lock the venture so two first saves cannot both create the plan.
    Venture.objects.select_for_update().filter(pk=venture.pk).values_list("pk").get()
    plan = BusinessPlan.objects.select_for_update().filter(venture=venture).first()
    if plan is None and create:
        plan = BusinessPlan(venture=venture, template=default_template())
        plan.full_clean()
        plan.save()
    if plan is not None:
        plan.venture = venture
    return plan


def _next_status(plan: BusinessPlan, action: str) -> str:
    """Where ``action`` takes the plan, or a refusal saying why it cannot happen now."""
    leads_to = PLAN_TRANSITIONS.targets(plan.status, action=action)
    if leads_to:
        return leads_to[0]
    number = plan.latest_number
    if action == PlanAction.SUBMIT:
        raise PlanError(
            f"Version {number} is waiting for the SEiR's feedback: you can submit again "
            "once it has been answered. Your draft stays as it is meanwhile."
        )
    if plan.status == PlanStatus.DRAFT:
        raise PlanError("No version has been submitted yet.")
    label = PLAN_TRANSITIONS.label(plan.status).lower()
    raise PlanError(f"Version {number} is already {label}: that cannot be done now.")


@transaction.atomic
def plan_section_save(
    *,
    actor: User,
    venture: Venture,
    section: PlanTemplateSection,
    body: str,
    expected_version: int,
) -> DraftSection | None:
    """Save one draft section. Refuses a stale ``expected_version`` (SectionConflict);
    returns None when the text is already what is saved (nothing saved, no event), even
    from a stale version: a form sent twice is not a conflict. The saved
    section's ``plan`` carries the draft revision this save made."""
    require(plan_access(actor, venture).write)
    body = clean_text(body, limit=SECTION_MAX_CHARS, what="section")
    plan = _lock_plan(venture, create=True)
    if section.template_id != plan.template_id:
        raise PlanError("That section is not part of this plan's template.")
    draft = (
        DraftSection.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(plan=plan, section=section)
        .first()
    )
    current_version = draft.version if draft else 0
    if (draft.body if draft else "") == body:
        # Nothing to save, whatever version the form started from: the text is already
        # there (a double click on Save, or the same words saved by someone else).
        return None
    if current_version != expected_version:
        raise SectionConflict(current=draft or DraftSection(plan=plan, section=section))
    now = timezone.now()
    if draft is None:
        draft = DraftSection(plan=plan, section=section)
    draft.body = body
    draft.version = current_version + 1
    draft.updated_by = actor
    draft.updated_at = now
    draft.full_clean()
    if draft.pk:
        draft.save(update_fields=["body", "version", "updated_by", "updated_at"])
    else:
        draft.save()
    plan.draft_revision += 1
    plan.save(update_fields=["draft_revision", "updated_at"])
    event_record(
        actor=actor,
        kind="plan.draft_saved",
        subject=plan,
        venture=venture,
        data={
            "section": section.code,
            "title": section.title,
            "words": len(body.split()),
            "section_version": draft.version,
        },
        at=now,
    )
    draft.plan = plan  # with the draft revision this save made
    return draft


def draft_snapshot(plan: BusinessPlan) -> list[tuple[str, str, int, str]]:
    """(code, title, order, body) for every section of the plan's template, in order."""
    bodies = dict(DraftSection.objects.filter(plan=plan).values_list("section_id", "body"))
    return [
        (s.code, s.title, s.order, bodies.get(s.pk, ""))
        for s in PlanTemplateSection.objects.filter(template_id=plan.template_id).order_by("order")
    ]


@transaction.atomic
def plan_submit(
    *,
    actor: User,
    venture: Venture,
    expected_revision: int,
    expected_number: int,
    note: str = "",
) -> PlanVersion:
    """Snapshot the draft as the next numbered version, for the SEiR's review.

    ``expected_revision``/``expected_number``: the draft revision and latest version number
    the person was looking at, so a double submit or a draft changed meanwhile is refused.
    """
    require(plan_access(actor, venture).write)
    note = clean_text(note, limit=COMMENT_MAX_CHARS, what="note").strip()
    plan = _lock_plan(venture, create=False)
    if plan is None or not DraftSection.objects.filter(plan=plan).exclude(body="").exists():
        raise PlanError("The plan is empty: write at least one section before submitting.")
    if plan.latest_number != expected_number:
        raise PlanError(
            f"Version {plan.latest_number} has been submitted since you opened this page, "
            "so nothing more was submitted."
        )
    if plan.draft_revision != expected_revision:
        raise PlanError(
            "The draft has been changed since you opened this page. Read it through, "
            "then submit again."
        )
    to = _next_status(plan, PlanAction.SUBMIT)
    sections = draft_snapshot(plan)
    if plan.latest_number:
        previous = list(
            PlanVersionSection.objects.filter(
                version__plan=plan, version__number=plan.latest_number
            ).values_list("code", "title", "order", "body")
        )
        if sorted(previous) == sorted(sections):
            raise PlanError(
                f"Nothing has changed since version {plan.latest_number}: edit the draft first."
            )
    now = timezone.now()
    version = PlanVersion(
        plan=plan,
        number=plan.latest_number + 1,
        stage_id=Venture.objects.values_list("stage_id", flat=True).get(pk=venture.pk),
        submitted_by=actor,
        submitted_at=now,
        note=note,
    )
    version.full_clean()
    version.save()
    PlanVersionSection.objects.bulk_create(
        PlanVersionSection(version=version, code=code, title=title, order=order, body=body)
        for code, title, order, body in sections
    )
    PlanReview.objects.create(version=version, status=to, changed_by=actor, changed_at=now)
    plan.latest_number = version.number
    plan.status = to
    plan.save(update_fields=["latest_number", "status", "updated_at"])
    event_record(
        actor=actor,
        kind="plan.version_submitted",
        subject=version,
        venture=venture,
        data={"number": version.number, "note": note[:500]},
        at=now,
    )
    return version


@transaction.atomic
def plan_comment_add(
    *, actor: User, version: PlanVersion, section_code: str, body: str
) -> PlanComment:
    """The SEiR's feedback on one section of the latest version ('' = the whole plan)."""
    venture = version.plan.venture
    require(plan_access(actor, venture).review, "Only the programme's SEiR can give feedback.")
    body = clean_text(body, limit=COMMENT_MAX_CHARS, what="feedback").strip()
    if not body:
        raise PlanError("Write the feedback first.")
    plan = _lock_plan(venture, create=False)
    if version.number != plan.latest_number:
        raise PlanError(
            f"Version {version.number} has been replaced by version {plan.latest_number}: "
            "give feedback on the latest one."
        )
    if plan.status == PlanStatus.APPROVED:
        raise PlanError(f"Version {version.number} is approved: it takes no more feedback.")
    titles = dict(version.sections.values_list("code", "title"))
    if section_code and section_code not in titles:
        raise PlanError("That section is not part of this version.")
    now = timezone.now()
    comment = PlanComment(
        version=version, section_code=section_code, author=actor, body=body, created_at=now
    )
    comment.full_clean()
    comment.save()
    event_record(
        actor=actor,
        kind="plan.comment_added",
        subject=version,
        venture=venture,
        data={
            "number": version.number,
            "section": section_code,
            "title": titles.get(section_code, "The plan as a whole"),
        },
        at=now,
    )
    return comment


@transaction.atomic
def plan_comment_reply(*, actor: User, comment: PlanComment, body: str) -> PlanCommentReply:
    """The team's (or the programme staff's) answer to one feedback comment, shown
    threaded under it. Only feedback the person may read can be answered."""
    version = comment.version
    venture = version.plan.venture
    rights = plan_access(actor, venture)
    require(
        can_reply_to_feedback(actor, venture)
        and can_read_feedback(rights, PlanReview.objects.get(version=version).status),
        "Only the venture's team and the programme's staff can reply to feedback.",
    )
    body = clean_text(body, limit=COMMENT_MAX_CHARS, what="reply").strip()
    if not body:
        raise PlanError("Write the reply first.")
    now = timezone.now()
    reply = PlanCommentReply(comment=comment, author=actor, body=body, created_at=now)
    reply.full_clean()
    reply.save()
    title = (
        version.sections.filter(code=comment.section_code).values_list("title", flat=True).first()
        if comment.section_code
        else None
    )
    event_record(
        actor=actor,
        kind="plan.feedback_replied",
        subject=version,
        venture=venture,
        data={
            "number": version.number,
            "section": comment.section_code,
            "title": title or "The plan as a whole",
            "comment": comment.pk,
            "reply": reply.pk,
        },
        at=now,
    )
    return reply


_REVIEW_EVENTS = {
    PlanAction.GIVE_FEEDBACK: "plan.feedback_given",
    PlanAction.APPROVE: "plan.approved",
}


@transaction.atomic
def plan_version_review(*, actor: User, version: PlanVersion, action: str) -> PlanReview:
    """Mark the latest version 'feedback given' or approve it (the SEiR only)."""
    venture = version.plan.venture
    require(plan_access(actor, venture).review, "Only the programme's SEiR can review plans.")
    if action not in _REVIEW_EVENTS:
        raise PlanError("Unknown review action.")
    plan = _lock_plan(venture, create=False)
    if version.number != plan.latest_number:
        raise PlanError(
            f"Version {version.number} has been replaced by version {plan.latest_number}: "
            "review the latest one."
        )
    to = _next_status(plan, action)
    comments = PlanComment.objects.filter(version=version).count()
    if action == PlanAction.GIVE_FEEDBACK and not comments:
        raise PlanError("Write feedback on at least one section first.")
    review = PlanReview.objects.select_for_update().get(version=version)
    now = timezone.now()
    review.status = to
    review.changed_by = actor
    review.changed_at = now
    review.full_clean()
    review.save(update_fields=["status", "changed_by", "changed_at"])
    plan.status = to
    plan.save(update_fields=["status", "updated_at"])
    event_record(
        actor=actor,
        kind=_REVIEW_EVENTS[action],
        subject=version,
        venture=venture,
        data={"number": version.number, "comments": comments},
        at=now,
    )
    return review
