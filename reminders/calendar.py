"""A person's calendar (RFC 5545): their due checklist items and follow-ups, meetings
and funding deadlines, in a fixed number of queries, written by hand (escaping, CRLF line
ends and 75-octet line folding) so the feed needs no library at run time."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import programme_ids_run_by
from checklists.models import DONE_STATUSES, ChecklistItem, ItemStatus
from commissioning.models import ProposedMeetingDate, Step
from funding.models import ApplicationStatus, FundingApplication
from scouting.models import FollowUp, Meeting
from ventures.models import DATES_LIVE_STATUSES, Venture
from ventures.selectors import ventures_visible_to

# How far back the feed reaches (calendars keep what they have already shown).
LOOKBACK_DAYS = 90
# At most this many of each kind, so one feed cannot grow without bound.
MAX_PER_KIND = 500
DOMAIN = "seir-pipeline"


def _escape(text: str) -> str:
    text = "".join(ch for ch in str(text) if ch >= " " or ch == "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Split a content line into lines of at most 75 octets (RFC 5545 3.1), never
    inside a UTF-8 character; continuation lines start with a space."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for ch in line:
        width = len(ch.encode())
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += width
    out.append(current)
    return out


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(
    *, uid: str, summary: str, url: str, now: dt.datetime, day=None, start=None, end=None
) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{uid}@{DOMAIN}", f"DTSTAMP:{_stamp(now)}"]
    if day is not None:
        lines += [
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        ]
    else:
        lines += [f"DTSTART:{_stamp(start)}", f"DTEND:{_stamp(end)}"]
    lines += [f"SUMMARY:{_escape(summary)}", f"URL:{url}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def calendar_for(*, user: User, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    since = timezone.localdate(now) - dt.timedelta(days=LOOKBACK_DAYS)
    site = settings.SITE_URL.rstrip("/")
    # Nothing is due on a paused or closed venture: its dates leave the feed, and come
    # back, under the same UIDs, when it is resumed or reopened (as with the reminders).
    visible = (
        ventures_visible_to(user=user)
        .filter(status__in=DATES_LIVE_STATUSES)
        .order_by()
        .values("pk")
    )
    # Ventures the person works on: their teams' and those they own as SEiR.
    # Scouting (meetings, follow-ups) belongs to the programmes the person helps run.
    scouting = programme_ids_run_by(user)
    own = Venture.objects.filter(Q(team__user=user) | Q(seir=user)).order_by().values("pk")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//SEiR Pipeline//{DOMAIN}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape('SEiR Pipeline: ' + user.display_name)}",
    ]
    items = (
        ChecklistItem.objects.filter(
            owner=user,
            removed_at__isnull=True,
            due_date__gte=since,
            checklist__venture__in=visible,
        )
        .exclude(status__in=[*DONE_STATUSES, ItemStatus.SUBMITTED])
        .order_by("due_date", "pk")
        .values("pk", "label", "due_date", venture_name=F("checklist__venture__name"))
    )[:MAX_PER_KIND]
    for row in items:
        lines += _event(
            uid=f"checklist-item-{row['pk']}",
            summary=f"Due: {row['label']} ({row['venture_name']})",
            url=site + reverse("checklists:item", args=[row["pk"]]),
            now=now,
            day=row["due_date"],
        )
    followups = (
        FollowUp.objects.filter(
            assignee=user, done=False, due__gte=since, programme_id__in=scouting
        )
        .order_by("due", "pk")
        .values("pk", "what", "due")
    )[:MAX_PER_KIND]
    for row in followups:
        lines += _event(
            uid=f"follow-up-{row['pk']}",
            summary=f"Follow-up: {row['what']}",
            url=site + reverse("scouting:followups"),
            now=now,
            day=row["due"],
        )
    meetings = (
        Meeting.objects.filter(
            logged_by=user,
            held_at__gte=now - dt.timedelta(days=LOOKBACK_DAYS),
            programme_id__in=scouting,
        )
        .order_by("held_at", "pk")
        .values("pk", "held_at", "meeting_type", "location")
    )[:MAX_PER_KIND]
    for row in meetings:
        where = f" at {row['location']}" if row["location"] else ""
        lines += _event(
            uid=f"meeting-{row['pk']}",
            summary=f"Meeting{where}",
            url=site + reverse("scouting:meeting_detail", args=[row["pk"]]),
            now=now,
            start=row["held_at"],
            end=row["held_at"] + dt.timedelta(hours=1),
        )
    proposed = (
        ProposedMeetingDate.objects.filter(
            step__introduction__step=Step.MEETING_AGREED,
            step__to_step=Step.MEETING_AGREED,
            step__introduction__venture__in=own,
            on__gte=since,
        )
        # Owning a venture is not seeing it: ``Venture.seir`` stays set when the SEiR's
        # programme role is taken away, and their feed must then list none of it.
        .filter(step__introduction__venture__in=visible)
        .order_by("on", "pk")
        .values(
            "pk",
            "on",
            introduction_id=F("step__introduction_id"),
            venture_name=F("step__introduction__venture__name"),
            commissioner_name=F("step__introduction__commissioner__name"),
        )
    )[:MAX_PER_KIND]
    for row in proposed:
        lines += _event(
            uid=f"proposed-meeting-{row['pk']}",
            summary=(f"Proposed meeting: {row['venture_name']} with {row['commissioner_name']}"),
            url=site + reverse("commissioning:introduction", args=[row["introduction_id"]]),
            now=now,
            day=row["on"],
        )
    deadlines = (
        FundingApplication.objects.filter(
            status=ApplicationStatus.DRAFTING,
            deadline__gte=since,
            venture__in=own,
        )
        .filter(venture__in=visible)
        .order_by("deadline", "pk")
        .values(
            "pk",
            "deadline",
            "venture_id",
            fund_name=F("fund__name"),
            venture_name=F("venture__name"),
        )
    )[:MAX_PER_KIND]
    for row in deadlines:
        lines += _event(
            uid=f"funding-deadline-{row['pk']}",
            summary=f"Funding deadline: {row['fund_name']} ({row['venture_name']})",
            url=site + reverse("funding:venture", args=[row["venture_id"]]),
            now=now,
            day=row["deadline"],
        )
    lines.append("END:VCALENDAR")
    return "".join(f"{part}\r\n" for line in lines for part in _fold(line))
