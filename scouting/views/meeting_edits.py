"""Correcting a logged meeting, and deleting one logged by mistake (after a page that
asks first)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from seir.forms import apply_form_errors

from .. import selectors, services
from ..meeting_edit_form import MeetingEditForm
from ..permissions import require_edit_meeting
from ..services.meeting_edits import ideas_refusal
from .common import edited_meanwhile, lost_people_message

# What the saved message calls each thing a correction may change.
CHANGED = {
    "held_at": "the date and time",
    "meeting_type": "the type",
    "location": "the location",
    "notes": "the notes",
    "attendees": "the attendees",
    "organisations": "the organisations represented",
}


def _saved_message(names: list[str]) -> str:
    if not names:
        return "Nothing had changed."
    said = [CHANGED[n] for n in names]
    listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    return f"Meeting saved: you changed {listed}."


def _editable(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require_edit_meeting(request.user, meeting)
    return meeting


@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    meeting = _editable(request, pk)
    form = MeetingEditForm(request.POST or None, meeting=meeting)
    attendees, lost = (
        selectors.people_picked(user=request.user, ids=request.POST.getlist("attendees"))
        if request.method == "POST"
        else (list(meeting.attendees.all()), 0)
    )
    status = 200
    if request.method == "POST":
        if lost:
            form.add_error(None, lost_people_message(lost, "attendee"))
        status = 400
    if request.method == "POST" and form.is_valid():
        changes = {n: form.cleaned_data[n] for n in form.changed_data if n in CHANGED}
        changes["attendees"] = attendees
        try:
            changed = services.meeting_update(
                actor=request.user,
                meeting=meeting,
                changes=changes,
                seen_at=form.seen_at(),
                followups_confirmed=form.confirmed_followups(),
            )
        except services.FollowUpsBeforeMeeting as error:
            form.ask_early(error)
        except ValidationError as error:
            apply_form_errors(form, error)
        except services.MeetingGone as error:
            messages.error(request, error.message)
            return redirect("scouting:meeting_list")
        except services.EditedMeanwhile as error:
            current = error.current
            edited_meanwhile(
                form,
                current,
                also=[("Attendees", set(attendees), set(current.attendees.all()))],
            )
            status = 409
        else:
            messages.success(request, _saved_message(changed))
            return redirect("scouting:meeting_detail", pk=pk)
    return render(
        request,
        "scouting/meeting_edit.html",
        {"form": form, "meeting": meeting, "attendees": attendees},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def meeting_delete_page(request, pk: int):
    try:
        meeting = _editable(request, pk)
    except Http404:
        # Pressed twice, or deleted by a colleague meanwhile: said, not a missing page.
        if selectors.meeting_deleted(user=request.user, pk=pk):
            messages.info(request, services.MeetingGone().message)
            return redirect("scouting:meeting_list")
        raise
    if request.method == "POST":
        try:
            services.meeting_delete(actor=request.user, meeting=meeting)
        except services.MeetingGone as error:
            messages.info(request, error.message)
            return redirect("scouting:meeting_list")
        except services.ScoutingError as error:
            messages.error(request, error.message)
            return redirect("scouting:meeting_detail", pk=pk)
        messages.success(request, f"Meeting deleted: {meeting}.")
        return redirect("scouting:meeting_list")
    ideas = list(meeting.ideas.all())
    return render(
        request,
        "scouting/meeting_delete.html",
        {
            "meeting": meeting,
            "ideas": ideas,
            "refusal": ideas_refusal([i.title for i in ideas]) if ideas else "",
        },
    )
