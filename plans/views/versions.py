"""A submitted version: reading it with its feedback, the SEiR's feedback and decision,
comparing versions, printing and the PDF."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from inbox.services import mark_read
from submissions.views import save_once

from .. import selectors, services
from ..asks import feedback_for_team
from ..diff import compare_sections
from ..forms import CommentForm, CompareForm, ReplyForm, ReviewForm
from ..models import PLAN_TRANSITIONS, PlanAction, PlanStatus
from ..pdf import render_pdf
from ..permissions import can_reply_to_feedback
from .common import load, page_context
from .draft import render_plan_page

_MAX_NUMBER = 2_147_483_647


def _version(plan, number: int):
    if number > _MAX_NUMBER:
        raise Http404("No such version.")
    return selectors.version_get(plan=plan, number=number)


def _review_context(version, plan, rights) -> dict:
    latest = version.number == plan.latest_number
    status = version.review.status
    can_comment = rights.review and latest and status != PlanStatus.APPROVED
    return {
        "is_latest": latest,
        "can_comment": can_comment,
        "can_give_feedback": rights.review
        and latest
        and PLAN_TRANSITIONS.allowed(status, PlanStatus.FEEDBACK_GIVEN),
        "can_approve": rights.review
        and latest
        and PLAN_TRANSITIONS.allowed(status, PlanStatus.APPROVED),
        "feedback_action": PlanAction.GIVE_FEEDBACK.value,
        "approve_action": PlanAction.APPROVE.value,
    }


def render_version(
    request, pk: int, number: int, *, comment_form=None, comment_section=None, reply_form=None
):
    venture, access, rights, plan = load(request, pk)
    version = _version(plan, number)
    rows, general = selectors.version_rows(version=version, rights=rights)
    mark_read(
        user=request.user,
        objects=feedback_for_team(
            rights=rights, comments=[*general, *(c for r in rows for c in r.comments)]
        ),
    )
    review = _review_context(version, plan, rights)
    if comment_form is not None and comment_form.errors:
        # Say why beside the form and at the top; an unknown section's text goes back
        # into the whole-plan form so nothing typed is lost.
        for errors in comment_form.errors.values():
            for error in errors:
                messages.error(request, error)
        if comment_section not in {row.section.code for row in rows}:
            comment_section = ""
    context = page_context(
        request,
        venture,
        access,
        rights,
        plan,
        version=version,
        rows=rows,
        general_comments=general,
        feedback_released=selectors.feedback_released(version=version, rights=rights),
        comment_form=comment_form,
        comment_section=comment_section,
        reply_form=reply_form,
        can_reply=can_reply_to_feedback(request.user, venture, access),
        **review,
    )
    refused = any(f is not None and f.errors for f in (comment_form, reply_form))
    status = 400 if refused else 200
    return render(request, "plans/version_detail.html", context, status=status)


@require_GET
def version_detail(request, pk: int, number: int):
    return render_version(request, pk, number)


@require_POST
def comment_add(request, pk: int, number: int):
    venture, _, _, plan = load(request, pk, need="review")
    version = _version(plan, number)
    form = CommentForm(request.POST)
    return save_once(
        request,
        form,
        save=lambda: services.plan_comment_add(
            actor=request.user,
            version=version,
            section_code=form.cleaned_data["section"],
            body=form.cleaned_data["body"],
        ),
        shown_at=lambda comment: _comment_url(venture, number, comment),
        saved="Feedback saved.",
        refusal_field="body",
        refused=lambda: render_version(
            request, pk, number, comment_form=form, comment_section=request.POST.get("section", "")
        ),
    )


def _comment_url(venture, number: int, comment) -> str:
    """Where a comment is shown: its section of the version (the page, if it has gone)."""
    url = reverse("plans:version", args=[venture.pk, number])
    if comment is None:
        return url
    return url + f"#section-{comment.section_code or 'whole-plan'}"


@require_POST
def reply_add(request, pk: int, comment: int):
    """The team's (or the programme staff's) reply to one feedback comment, saved once
    however often the form is posted; a refusal is shown beside that comment's form on
    the page it came from, the text kept."""
    venture, _, rights, plan = load(request, pk, need="write")
    if comment > _MAX_NUMBER:
        raise Http404("No such feedback.")
    comment = selectors.comment_get(plan=plan, pk=comment, rights=rights)
    back = "version" if request.POST.get("back") == "version" else "plan"
    form = ReplyForm(request.POST)
    return save_once(
        request,
        form,
        save=lambda: services.plan_comment_reply(
            actor=request.user, comment=comment, body=form.cleaned_data["body"]
        ),
        shown_at=lambda _reply: _reply_url(venture, comment, back),
        saved="Reply saved.",
        refusal_field="body",
        refused=lambda: _reply_refused(request, pk, comment, back, form),
    )


def _reply_refused(request, pk: int, comment, back: str, form):
    """A refused reply, shown beside its comment's form on the page it came from."""
    form.comment_pk = comment.pk
    if back == "version":
        return render_version(request, pk, comment.version.number, reply_form=form)
    return render_plan_page(request, pk, reply_form=form, status=400)


def _reply_url(venture, comment, back: str) -> str:
    """Where a comment and its replies are shown: the plan page or the version page."""
    if back == "version":
        url = reverse("plans:version", args=[venture.pk, comment.version.number])
    else:
        url = reverse("plans:plan", args=[venture.pk])
    return url + f"#comment-{comment.pk}"


@require_POST
def version_review(request, pk: int, number: int):
    venture, _, _, plan = load(request, pk, need="review")
    version = _version(plan, number)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose feedback given or approve.")
        return redirect("plans:version", pk=venture.pk, number=number)
    action = form.cleaned_data["action"]
    try:
        services.plan_version_review(actor=request.user, version=version, action=action)
    except services.PlanError as error:
        messages.error(request, error.message)
    else:
        if action == PlanAction.APPROVE:
            messages.success(request, f"Version {number} is approved.")
        else:
            messages.success(
                request, f"Version {number}: the team can now see your feedback and revise."
            )
    return redirect("plans:version", pk=venture.pk, number=number)


@require_GET
def compare(request, pk: int):
    venture, access, rights, plan = load(request, pk)
    versions = selectors.plan_versions(plan=plan)
    numbers = [v.number for v in versions]
    form = CompareForm(request.GET or None, numbers=numbers, with_draft=rights.read_draft)
    diffs, labels, status = None, None, 200
    if request.GET and form.is_valid():
        by_number = {v.number: v for v in versions}
        sides = []
        for key in ("a", "b"):
            choice = form.cleaned_data[key]
            if choice == "draft":
                template = selectors.template_for(plan=plan)
                sides.append(
                    (
                        "the current draft",
                        [
                            (r.section.code, r.section.title, r.section.order, r.body)
                            for r in selectors.draft_rows(plan=plan, template=template)
                        ],
                    )
                )
            else:
                version = by_number[int(choice)]
                sides.append(
                    (f"version {version.number}", selectors.version_snapshot(version=version))
                )
        diffs = compare_sections(sides[0][1], sides[1][1])
        labels = (sides[0][0], sides[1][0])
    elif request.GET:
        status = 400
    context = page_context(
        request,
        venture,
        access,
        rights,
        plan,
        form=form,
        diffs=diffs,
        labels=labels,
        changed=sum(1 for d in diffs if d.changed) if diffs else 0,
    )
    return render(request, "plans/compare.html", context, status=status)


def _print_context(request, pk: int, number: int) -> dict:
    venture, _, rights, plan = load(request, pk)
    version = _version(plan, number)
    rows, general = selectors.version_rows(version=version, rights=rights)
    return {"venture": venture, "version": version, "rows": rows, "general_comments": general}


@require_GET
def version_print(request, pk: int, number: int):
    return render(request, "plans/version_print.html", _print_context(request, pk, number))


@require_GET
def version_pdf(request, pk: int, number: int):
    context = _print_context(request, pk, number)
    pdf = render_pdf(context)
    name = f"{slugify(context['venture'].name) or 'venture'}-business-plan-v{number}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
