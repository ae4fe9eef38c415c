"""Logging a meeting in one screen (drafts saved as the SEiR types), meeting lists and
pages, and follow-ups."""

from __future__ import annotations

import datetime
import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from accounts.selectors import users_running
from seir.redirects import next_path
from submissions.views import save_once

from .. import selectors, services
from ..forms import MeetingForm
from ..meeting_forms import MeetingRows
from ..permissions import can_edit_meeting, require_manage_scouting
from .common import PAGE_SIZE, csv_response, list_context, lost_people_message


@require_GET
def meeting_list(request):
    return render(
        request,
        "scouting/meeting_list.html",
        list_context(request, selectors.meeting_list(user=request.user, params=request.GET)),
    )


@require_GET
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return render(
        request,
        "scouting/meeting_detail.html",
        {
            "meeting": meeting,
            "may_edit": can_edit_meeting(request.user, meeting),
            "just_saved": request.GET.get("saved") == "1",
            "today": timezone.localdate(),
        },
    )


def _staff_choices(programmes) -> list[User]:
    return list(
        users_running(programmes=programmes).order_by("first_name", "last_name", "username")
    )


@require_http_methods(["GET", "POST"])
def meeting_new(request):
    require_manage_scouting(request.user)
    programmes = list(selectors.programmes_for(user=request.user))
    staff = _staff_choices(programmes)
    form = MeetingForm(request.POST or None, programmes=programmes)
    attendees, lost = (
        selectors.people_picked(user=request.user, ids=request.POST.getlist("attendees"))
        if request.method == "POST"
        else ([], 0)
    )

    def rows_for(data=None, meeting_day=None) -> MeetingRows:
        return MeetingRows(
            data, people=attendees, staff=staff, user=request.user, meeting_day=meeting_day
        )

    def page(rows: MeetingRows, status: int = 200):
        draft = selectors.draft_for(user=request.user) if request.method == "GET" else None
        return render(
            request,
            "scouting/meeting_form.html",
            {
                "form": form,
                "attendees": attendees,
                "rows": rows,
                "staff": staff,
                "draft": draft,
                "draft_json": {"data": draft.data, "saved_at": draft.updated_at.isoformat()}
                if draft
                else None,
                "user_key": request.user.pk,
            },
            status=status,
        )

    if request.method != "POST":
        return page(rows_for())
    rows = rows_for(request.POST, meeting_day=form.meeting_day())
    for message in rows.messages():  # beside their rows, and listed above the form
        form.add_error(None, message)
    if lost:
        form.add_error(None, lost_people_message(lost, "attendee"))

    def log():
        data = form.cleaned_data
        return services.meeting_log(
            actor=request.user,
            programme=data["programme"],
            meeting=services.MeetingInput(
                held_at=data["held_at"],
                meeting_type=data["meeting_type"],
                location=data["location"],
                notes=data["notes"],
                attendees=attendees,
                organisations=list(data["organisations"]),
                **rows.rows(),
            ),
        )

    # A double tap, or a resend after a lost connection (the draft kept on the device
    # carries the token onto a fresh page, at any time later: hence ``keep``), lands on
    # the meeting the first one saved; ``?saved=1`` clears the device's draft.
    return save_once(
        request,
        form,
        save=log,
        shown_at=lambda meeting: (
            f"{meeting_url(meeting)}?saved=1"
            if meeting is not None
            else reverse("scouting:meeting_list")
        ),
        saved=lambda meeting: f"Meeting saved: {meeting}.",
        refused=lambda: page(rows, status=400),
        keep=True,
    )


@require_GET
def organisation_search(request):
    """htmx: organisations matching what is typed, to pick as represented at a meeting."""
    organisations = selectors.organisation_search(
        user=request.user, query=request.GET.get("q", ""), programme_id=request.GET.get("programme")
    )
    return render(
        request,
        "scouting/partials/organisation_results.html",
        {"organisations": organisations, "q": request.GET.get("q", "").strip()[:100]},
    )


def meeting_url(meeting) -> str:
    return reverse("scouting:meeting_detail", args=[meeting.pk])


@require_POST
def draft_autosave(request):
    """JS autosave: the whole form as {name: [values]}; answers JSON."""
    require_manage_scouting(request.user)
    try:
        payload = json.loads(request.body.decode("utf-8")[:400_000] or "{}")
        draft = services.draft_save(
            actor=request.user, data=payload.get("data") if isinstance(payload, dict) else None
        )
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"saved": False, "error": "The draft could not be read."}, status=400)
    except services.ScoutingError as error:
        return JsonResponse({"saved": False, "error": error.message}, status=400)
    return JsonResponse({"saved": True, "saved_at": draft.updated_at.isoformat()})


@require_GET
def draft_token(request):
    """The current CSRF token, for a form left open across signing in again (the token
    rotates at sign-in and the cookie is HttpOnly). Same-origin only: CORS is off."""
    require_manage_scouting(request.user)
    return JsonResponse({"token": get_token(request)})


@require_POST
def draft_delete(request):
    require_manage_scouting(request.user)
    services.draft_discard(actor=request.user)
    if request.htmx or request.headers.get("Accept") == "application/json":
        return JsonResponse({"discarded": True})
    messages.info(request, "The draft was discarded.")
    return redirect("scouting:meeting_log")


@require_GET
def my_followups(request):
    followups = selectors.followups_of(user=request.user)
    page = Paginator(followups.filter(done=False), PAGE_SIZE).get_page(request.GET.get("page"))
    # The ten most recently done: ids first (no joins while sorting), then the rows.
    done_ids = list(
        followups.filter(done=True).order_by("-done_at", "-id").values_list("pk", flat=True)[:10]
    )
    done = sorted(followups.filter(pk__in=done_ids), key=lambda f: done_ids.index(f.pk))
    return render(
        request,
        "scouting/followups.html",
        {"open": page.object_list, "page": page, "done": done, "today": datetime.date.today()},
    )


@require_POST
def followup_toggle(request, pk: int):
    followup = selectors.followup_get(user=request.user, pk=pk)
    done = request.POST.get("done") == "1"
    services.followup_set_done(actor=request.user, followup=followup, done=done)
    messages.success(request, f"“{followup.what}” is {'done' if done else 'open again'}.")
    return redirect(next_path(request, request.POST.get("next"), reverse("scouting:followups")))


@require_GET
def meeting_export_csv(request):
    meetings = selectors.meeting_list(user=request.user, params=request.GET)
    rows = (
        [
            m.pk,
            m.held_at.isoformat(timespec="minutes"),
            m.get_meeting_type_display(),
            m.location,
            "; ".join(o.name for o in m.organisations.all()),
            len(m.attendees.all()),
            m.idea_count,
            m.open_followups,
        ]
        for m in meetings.qs[:10_000]
    )
    return csv_response(
        "meetings",
        [
            "id",
            "held_at",
            "type",
            "location",
            "organisations",
            "attendees",
            "ideas",
            "open_followups",
        ],
        rows,
    )
