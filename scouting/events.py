"""The event kinds scouting records and who hears of them (registered from
ScoutingConfig.ready())."""

from __future__ import annotations

from django.urls import reverse

from events.registry import EventKind, notify, notify_preloader, register_kinds

from .models import FollowUp
from .permissions import can_manage_programme

# code, label, visibility. Contact details never go into event data; the meeting and the
# promotion events carry ``venture=`` so they show in the venture's timeline.
EVENT_KINDS = [
    ("organisation_added", "Organisation added", "staff"),
    ("organisation_changed", "Organisation changed", "staff"),
    ("organisation_merged", "Organisations merged", "staff"),
    ("person_added", "Person added", "staff"),
    ("person_changed", "Person changed", "staff"),
    ("person_merged", "People merged", "staff"),
    ("person_exported", "Person's data exported", "staff"),
    ("person_erased", "Person's data erased", "staff"),
    ("duplicate_dismissed", "Possible duplicates marked as different", "staff"),
    ("directory_imported", "Directory imported from CSV", "staff"),
    ("meeting_logged", "Scouting meeting logged", "staff"),
    ("meeting_changed", "Scouting meeting corrected", "staff"),
    ("meeting_deleted", "Scouting meeting deleted", "staff"),
    ("meeting_in_venture", "Scouting meeting", "team"),
    # A source meeting corrected after its idea became a venture: the entry above stays
    # as recorded (history), this one follows it in the timeline with what it now says.
    ("meeting_in_venture_corrected", "Scouting meeting corrected in a venture's timeline", "team"),
    ("followup_added", "Follow-up added", "staff"),
    ("followup_done", "Follow-up done", "staff"),
    ("followup_reopened", "Follow-up reopened", "staff"),
    ("idea_added", "Idea added", "staff"),
    ("idea_changed", "Idea changed", "staff"),
    ("idea_status_changed", "Idea status changed", "staff"),
    ("idea_promoted", "Idea promoted to a venture", "team"),
]


def register() -> None:
    register_kinds(
        *(
            EventKind(
                code=f"scouting.{code}",
                label=label,
                template=f"scouting/events/{code}.jinja",
                visibility=visibility,
            )
            for code, label, visibility in EVENT_KINDS
        )
    )
    _notifications()


def _notifications() -> None:
    """A follow-up assigned tells its assignee, if they may still work in its programme."""

    def assignee(event):
        assignee_id = (event.data or {}).get("assignee_id")
        return [assignee_id] if assignee_id else []

    kind = "scouting.followup_added"

    def preload(events):
        """The follow-ups of many events in one query (an inbox page, a digest)."""
        wanted = [e for e in events if e.kind == kind and not hasattr(e, "_notify_followup")]
        ids = {int(e.subject_id) for e in wanted if str(e.subject_id).isdigit()}
        found = FollowUp.objects.in_bulk(ids) if ids else {}
        for event in wanted:
            digits = str(event.subject_id).isdigit()
            event._notify_followup = found.get(int(event.subject_id)) if digits else None

    notify_preloader(preload)

    def may_see(user, event):
        if not hasattr(event, "_notify_followup"):
            preload([event])
        followup = event._notify_followup
        return (
            followup is not None
            and followup.assignee_id == user.pk
            and can_manage_programme(user, followup.programme_id)
        )

    notify(
        kind,
        audience=assignee,
        may_see=may_see,
        link=lambda event: reverse("scouting:followups"),
        email={"seir": "immediate"},
    )
