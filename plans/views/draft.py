"""The plan tab (draft and versions), editing a draft section, submitting a version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inbox.services import mark_read
from seir.forms import apply_form_errors

from .. import selectors, services
from ..asks import latest_feedback
from ..forms import CompareForm, SectionForm, SubmitForm
from ..models import PLAN_TRANSITIONS, PlanStatus
from ..permissions import can_reply_to_feedback
from .common import load, page_context


@require_GET
def plan_page(request, pk: int):
    return render_plan_page(request, pk)


def render_plan_page(request, pk: int, *, submit_form=None, reply_form=None, status: int = 200):
    """The plan tab. A refused submission (or reply to feedback) passes its bound form
    back in, so the reason shows beside it and the text typed is kept."""
    venture, access, rights = selectors.plan_venture_get(user=request.user, pk=pk)
    mark_read(user=request.user, objects=latest_feedback(venture=venture, rights=rights))
    return render(
        request,
        "plans/plan_page.html",
        _plan_context(
            request,
            venture,
            access,
            rights,
            selectors.plan_of(venture=venture),
            submit_form=submit_form,
            reply_form=reply_form,
        ),
        status=status,
    )


def _plan_context(
    request, venture, access, rights, plan, *, submit_form=None, reply_form=None
) -> dict:
    template = selectors.template_for(plan=plan)
    versions = selectors.plan_versions(plan=plan)
    # The SEiR's latest feedback the person may read, with the replies to it.
    feedback = selectors.plan_feedback(versions=versions, rights=rights)
    rows = selectors.draft_rows(plan=plan, template=template) if rights.read_draft else []
    plan_status = plan.status if plan else PlanStatus.DRAFT
    # While a version waits for the SEiR there is nothing to submit (the page says why),
    # unless a refused submission is shown again: then its reason and note are.
    if (
        submit_form is None
        and rights.write
        and PLAN_TRANSITIONS.allowed(plan_status, PlanStatus.SUBMITTED)
    ):
        submit_form = SubmitForm(
            initial={
                "revision": plan.draft_revision if plan else 0,
                "number": plan.latest_number if plan else 0,
            }
        )
    compare_form = None
    if len(versions) >= 2 or (versions and rights.read_draft):
        numbers = [v.number for v in versions]
        compare_form = CompareForm(
            numbers=numbers,
            with_draft=rights.read_draft,
            initial={
                "a": numbers[1] if len(numbers) > 1 else numbers[0],
                "b": numbers[0] if len(numbers) > 1 else "draft",
            },
        )
    return page_context(
        request,
        venture,
        access,
        rights,
        plan,
        template=template,
        rows=rows,
        versions=versions,
        submit_form=submit_form,
        compare_form=compare_form,
        feedback=feedback,
        reply_form=reply_form,
        can_reply=can_reply_to_feedback(request.user, venture, access),
        status_label=PlanStatus(plan_status).label,
        awaiting_review=plan_status == PlanStatus.SUBMITTED,
        changed_count=sum(1 for r in rows if r.changed_since_submitted),
        filled_count=sum(1 for r in rows if r.body.strip()),
    )


def _section_response(request, context, *, partial: bool, status: int = 200):
    template = "plans/partials/section_form.html" if partial else "plans/section_edit.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int, code: str):
    venture, access, rights, plan = load(request, pk, need="write")
    template = selectors.template_for(plan=plan)
    if template is None:
        raise Http404("No business plan template.")
    row = selectors.draft_row(plan=plan, template=template, code=code)
    partial = bool(request.htmx) and request.htmx.target == f"section-{code}"
    label = f"{row.section.order}. {row.section.title}"
    form = SectionForm(
        request.POST or None,
        label=label,
        initial={"body": row.body, "version": row.version},
        # Several sections can be open for editing on one page: ids must stay unique.
        auto_id=f"id_{code}_%s",
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.plan_section_save(
                actor=request.user,
                venture=venture,
                section=row.section,
                body=form.cleaned_data["body"],
                expected_version=form.cleaned_data["version"],
            )
        except services.SectionConflict as error:
            form.rebase_on(error)
            form.add_error(None, error.message)
            conflict = error.current
        except services.PlanError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            note = _saved_note(saved, stale=form.cleaned_data["version"] != row.version)
            if partial:
                row = selectors.draft_row(
                    plan=selectors.plan_of(venture=venture), template=template, code=code
                )
                return render(
                    request,
                    "plans/partials/section_saved.html",
                    {
                        "row": row,
                        "rights": rights,
                        "venture": venture,
                        "saved_note": note,
                        "submit_revision": _revision_after(form.seen_revision(), saved),
                    },
                )
            messages.success(request, f"{label}: {note}")
            return redirect(reverse("plans:plan", args=[venture.pk]) + f"#section-{code}")
    context = page_context(
        request, venture, access, rights, plan, row=row, form=form, conflict=conflict
    )
    return _section_response(request, context, partial=partial)


def _saved_note(saved, *, stale: bool) -> str:
    if saved:
        return "Saved."
    # The text sent is what is saved, though the section moved on since the form was
    # drawn: this form was sent before (a double click), or someone saved the same words.
    return "Already saved." if stale else "Nothing had changed, so nothing was saved."


def _revision_after(seen: int | None, saved) -> int | None:
    """What the page's submit form should expect after an inline save: the new draft
    revision when this save is the only change since the page's (the person has seen the
    whole draft), else what it expected before, so a submission still names the draft the
    person saw and is refused if someone else changed it meanwhile."""
    if seen is None or saved is None:
        return seen
    return saved.plan.draft_revision if saved.plan.draft_revision == seen + 1 else seen


@require_POST
def plan_submission(request, pk: int):
    venture, _, _, _ = load(request, pk, need="write")
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            version = services.plan_submit(
                actor=request.user,
                venture=venture,
                expected_revision=form.cleaned_data["revision"],
                expected_number=form.cleaned_data["number"],
                note=form.cleaned_data["note"],
            )
        except services.PlanError as error:
            form.add_error(None, error.message)
            form.rebase_on(selectors.plan_of(venture=venture))
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(
                request, f"Version {version.number} was submitted to the SEiR for feedback."
            )
            return redirect("plans:version", pk=venture.pk, number=version.number)
    elif form.has_error("revision") or form.has_error("number"):
        form.rebase_on(selectors.plan_of(venture=venture))  # damaged: the page now shows the plan
    messages.error(request, "The plan was not submitted: the reason is shown with the form.")
    return render_plan_page(request, pk, submit_form=form, status=400)
