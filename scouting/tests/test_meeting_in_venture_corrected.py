"""A corrected scouting meeting that an idea turned venture came from: the venture's
timeline keeps its original "Scouting meeting" entry (the event log is history) and gains
one saying what the meeting now says and what changed, for the team to see, naming
nothing staff-only (notes, who attended)."""

from __future__ import annotations

import datetime
import html as html_module
import re

import pytest
from django.template.loader import get_template
from django.urls import reverse

from events.models import Event
from events.registry import get_kind
from scouting import services
from scouting.events import EVENT_KINDS
from scouting.factories import IdeaFactory
from scouting.services.meetings import MeetingInput, meeting_log
from scouting.tests.test_tallies import at

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 10, 6)
LATER = datetime.date(2026, 10, 9)
CORRECTED = "scouting.meeting_in_venture_corrected"


@pytest.fixture
def workshop(seir, programme, nadia):
    """A workshop at Old Place on DAY with Nadia, with notes only staff read."""
    return meeting_log(
        actor=seir,
        programme=programme,
        meeting=MeetingInput(
            held_at=at(DAY),
            meeting_type="workshop",
            location="Old Place",
            notes="Nadia is unsure about the funding",
            attendees=[nadia],
        ),
    )


@pytest.fixture
def promoted(seir, programme, workshop, venture):
    """An idea from the workshop, become ``venture`` (its timeline shows the workshop)."""
    idea = IdeaFactory(programme=programme, title="Walking netball", source_meetings=[workshop])
    services.idea_link_venture(actor=seir, idea=idea, venture=venture)
    return idea


def _in_timeline(kind):
    return list(
        Event.objects.filter(kind=kind)
        .order_by("venture_id", "id")
        .values("venture_id", "at", "recorded_at", "visibility", "data", "subject_id")
    )


def test_a_corrected_date_and_place_is_told_once_in_each_venture_the_meeting_fed(
    seir, programme, workshop, promoted, venture, other_venture, dr_lee
):
    # given a second idea from the same workshop, become another venture
    other_idea = IdeaFactory(programme=programme, title="Chair yoga", source_meetings=[workshop])
    services.idea_link_venture(actor=seir, idea=other_idea, venture=other_venture)
    original = _in_timeline("scouting.meeting_in_venture")
    assert len(original) == 2

    # when the date and the place are corrected, with the notes and who attended
    changed = services.meeting_update(
        actor=seir,
        meeting=workshop,
        changes={
            "held_at": at(LATER),
            "location": " Saheli Hub ",
            "notes": "Corrected notes",
            "attendees": [dr_lee],
        },
    )

    # then each venture's timeline gains one entry with what the meeting now says and
    # which of its public details changed (never the notes or who attended)
    assert changed == ["held_at", "location", "notes", "attendees", "organisations"]
    corrected = _in_timeline(CORRECTED)
    assert [(e["venture_id"], e["visibility"], e["subject_id"]) for e in corrected] == [
        (venture.pk, "team", str(workshop.pk)),
        (other_venture.pk, "team", str(workshop.pk)),
    ]
    for event, title in zip(corrected, ["Walking netball", "Chair yoga"], strict=True):
        data = dict(event["data"])
        assert datetime.datetime.fromisoformat(data.pop("held_at")) == at(LATER)
        assert data == {
            "type": "Workshop",
            "location": "Saheli Hub",
            "on": "2026-10-09",
            "idea": title,
            "fields": ["held_at", "location"],
            "was": {"type": "Workshop", "location": "Old Place", "on": "2026-10-06"},
        }
        assert event["at"] == event["recorded_at"]  # dated when corrected
    # and the entries the timelines already had are left as they were
    assert _in_timeline("scouting.meeting_in_venture") == original


def test_a_new_type_alone_is_named_alone(seir, workshop, promoted, venture):
    services.meeting_update(actor=seir, meeting=workshop, changes={"meeting_type": "event"})

    (event,) = _in_timeline(CORRECTED)
    assert (event["data"]["type"], event["data"]["location"], event["data"]["fields"]) == (
        "Event",
        "Old Place",
        ["meeting_type"],
    )
    assert event["data"]["on"] == "2026-10-06"
    assert event["data"]["was"] == {"type": "Workshop", "location": "Old Place", "on": "2026-10-06"}


def test_correcting_only_the_notes_or_who_attended_tells_no_venture(
    seir, workshop, promoted, dr_lee
):
    changed = services.meeting_update(
        actor=seir,
        meeting=workshop,
        changes={"notes": "Corrected notes", "attendees": [dr_lee], "location": "Old Place"},
    )

    assert changed == ["notes", "attendees", "organisations"]
    assert _in_timeline(CORRECTED) == []
    assert Event.objects.filter(kind="scouting.meeting_changed").count() == 1


def test_a_meeting_whose_idea_was_never_promoted_tells_no_venture(seir, programme, workshop):
    IdeaFactory(programme=programme, title="Walking netball", source_meetings=[workshop])

    services.meeting_update(actor=seir, meeting=workshop, changes={"held_at": at(LATER)})

    assert _in_timeline(CORRECTED) == []
    assert Event.objects.filter(kind="scouting.meeting_changed").count() == 1


def test_the_venture_team_reads_the_correction_and_nothing_staff_only(
    client, seir, entrepreneur, workshop, promoted, venture, dr_lee
):
    # given the workshop corrected: a new date and place, new notes and attendee
    services.meeting_update(
        actor=seir,
        meeting=workshop,
        changes={
            "held_at": at(LATER),
            "location": "Saheli Hub",
            "notes": "Dr Lee doubts the business case",
            "attendees": [dr_lee],
        },
    )

    # when the venture's entrepreneur reads its timeline
    client.force_login(entrepreneur)
    html = client.get(reverse("ventures:timeline", args=[venture.pk])).content.decode()

    # then both entries show, the correction saying what the meeting is now
    assert (
        '<span class="event-title">Scouting meeting corrected</span>: Workshop on 9 Oct 2026 '
        "at Saheli Hub, was Workshop on 6 Oct 2026 at Old Place (the date and the location "
        "changed)"
    ) in html
    assert '<span class="event-title">Scouting meeting</span>: Workshop at Old Place' in html
    # (read as words with the tags dropped: a random token in an attribute may hold "Lee")
    words = html_module.unescape(re.sub(r"<[^>]+>", " ", html))
    for staff_only in ("doubts the business case", "unsure about the funding", "Lee", "Nadia"):
        assert not re.search(rf"\b{staff_only}\b", words)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (
            {"type": "Workshop", "location": "", "on": "2026-10-09", "fields": ["held_at"]},
            "Scouting meeting corrected</span>: Workshop on 9 Oct 2026 (the date changed)",
        ),
        (
            {
                "type": "Event",
                "location": "Saheli Hub",
                "on": "2026-10-06",
                "fields": ["held_at", "meeting_type", "location"],
            },
            "Scouting meeting corrected</span>: Event on 6 Oct 2026 at Saheli Hub "
            "(the date, the type and the location changed)",
        ),
        (
            {
                "type": "Event",
                "location": "",
                "on": "2026-10-09",
                "fields": ["held_at", "meeting_type", "location"],
                "was": {"type": "Workshop", "location": "Old <Place>", "on": "2026-10-06"},
            },
            "Scouting meeting corrected</span>: Event on 9 Oct 2026, was Workshop on "
            "6 Oct 2026 at Old &lt;Place&gt; (the date, the type and the location changed)",
        ),
    ],
)
def test_the_entry_names_each_change_in_words(data, text):
    html = get_template("scouting/events/meeting_in_venture_corrected.jinja").render(
        {"event": Event(kind=CORRECTED, data=data)}
    )
    assert html.strip().endswith(text), html


def test_every_scouting_kind_is_registered_with_a_template_that_exists():
    for code, label, visibility in EVENT_KINDS:
        kind = get_kind(f"scouting.{code}")
        assert (kind.label, kind.template, kind.visibility) == (
            label,
            f"scouting/events/{code}.jinja",
            visibility,
        )
        get_template(kind.template)
    assert get_kind(CORRECTED).visibility == get_kind("scouting.meeting_in_venture").visibility
