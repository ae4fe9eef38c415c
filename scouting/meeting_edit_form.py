"""The form correcting a logged meeting: the log form's own fields, filled in, and the
box that keeps follow-ups due before the meeting once a new date puts them there."""

from __future__ import annotations

import re

from django import forms

from .forms import _MeetingFields, _seen_at_field, _SeenAt
from .services import FollowUpsBeforeMeeting

# The follow-ups named: their ids, comma-separated (a meeting has a few dozen at most; the
# request's own size limit bounds the text).
_IDS = re.compile(r"[0-9]{1,18}(?:,[0-9]{1,18})*")


class MeetingEditForm(_SeenAt, _MeetingFields):
    """A logged meeting corrected: the log form's own fields, filled in, with the same
    rules; its programme stays. Attendee ids are read by the view, as when logging."""

    seen_at = _seen_at_field()
    # Offered once a new date puts follow-ups due before the meeting (``ask_early``),
    # as logging offers "Yes, before the meeting" under such a follow-up. The tick
    # confirms the follow-ups the message named (``followups_named``), no others: a date
    # moved later still after ticking asks again about every follow-up it puts before.
    before_meeting_confirmed = forms.BooleanField(
        required=False, label="Yes, before the meeting: keep the follow-ups' dates"
    )
    followups_named = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, meeting, **kwargs):
        self.instance = meeting  # what ``_SeenAt`` reads
        self.asked_early = False
        initial = {
            # As the page shows it (to the minute): sent back untouched, it is unchanged.
            "held_at": meeting.held_at.replace(second=0, microsecond=0),
            "meeting_type": meeting.meeting_type,
            "location": meeting.location,
            "notes": meeting.notes,
            "organisations": [o.pk for o in meeting.organisations.all()],
        }
        super().__init__(*args, initial=initial, **kwargs)
        self._organisations_of([meeting.programme_id])
        self._seen_at()
        self._crispy()

    def clean_followups_named(self) -> frozenset[int]:
        """The ids of the follow-ups the message beside the tick named. Anything else
        (a page from before the message carried them, or an altered one) names none, so
        the tick confirms nothing and the page asks again."""
        value = self.cleaned_data["followups_named"]
        return frozenset(int(i) for i in value.split(",")) if _IDS.fullmatch(value) else frozenset()

    def confirmed_followups(self) -> frozenset[int]:
        """The follow-ups the person confirmed may stay due before the meeting."""
        if not self.cleaned_data["before_meeting_confirmed"]:
            return frozenset()
        return self.cleaned_data["followups_named"]

    def ask_early(self, error: FollowUpsBeforeMeeting) -> None:
        """The new date puts follow-ups due before the meeting: the message naming them
        beside the date, and the box that keeps their dates, described by it and
        unticked (a tick given for other follow-ups is not this one)."""
        self.add_error("held_at", error.message)
        self.asked_early = True
        self.data = self.data.copy()
        self.data.pop(self.add_prefix("before_meeting_confirmed"), None)
        self.data[self.add_prefix("followups_named")] = ",".join(str(f.pk) for f in error.followups)
        box = self.fields["before_meeting_confirmed"].widget
        box.attrs["aria-describedby"] = f"{self['held_at'].auto_id}_error"

    @property
    def offers_early(self) -> bool:
        """The box is shown when asked, and while ticked (never ticked out of sight)."""
        return self.asked_early or bool(self["before_meeting_confirmed"].value())
