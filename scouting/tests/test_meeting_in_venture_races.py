"""An idea becoming a venture while its source meeting is corrected (PostgreSQL, two
connections): the venture's timeline ends with what the meeting now says, either in its
"Scouting meeting" entry (the correction came first) or in a correction entry after it
(the venture came first).

Without the lock on the meeting, the idea's side read the meeting's old date and place
while the correction, not yet seeing the idea's venture (uncommitted), told no venture:
the timeline kept the old date and place with nothing saying they had changed.
"""

from __future__ import annotations

import datetime
import threading
import time

import pytest

from events.models import Event
from scouting import services
from scouting.factories import IdeaFactory
from scouting.models import Idea
from scouting.services import ideas as idea_services
from scouting.services.meetings import MeetingInput
from scouting.tallies import local_day
from scouting.tests.test_tallies import at
from tests.concurrency import HOLD_SECONDS, TWO_CONNECTIONS, in_transaction, race
from ventures.factories import VentureFactory

pytestmark = TWO_CONNECTIONS

DAY = datetime.date(2026, 10, 6)
LATER = datetime.date(2026, 10, 9)


@pytest.fixture
def workshop(seir, programme):
    return services.meeting_log(
        actor=seir,
        programme=programme,
        meeting=MeetingInput(held_at=at(DAY), meeting_type="workshop", location="Old Place"),
    )


def _becomes_venture(how, seir, programme, workshop):
    """The idea's side of the race: the idea from ``workshop`` is promoted, linked to an
    existing venture, or (already a venture) given the workshop as a source meeting."""
    if how == "promoted":
        idea = IdeaFactory(programme=programme, title="Walking netball", source_meetings=[workshop])
        return idea, lambda: services.idea_promote(
            actor=seir, idea=idea, venture_fields={"name": "Walking Netball CIC"}
        )
    venture = VentureFactory(programme=programme, seir=seir, name="Walking Netball CIC")
    if how == "linked":
        idea = IdeaFactory(programme=programme, title="Walking netball", source_meetings=[workshop])
        return idea, lambda: services.idea_link_venture(actor=seir, idea=idea, venture=venture)
    idea = IdeaFactory(programme=programme, title="Walking netball")
    services.idea_link_venture(actor=seir, idea=idea, venture=venture)
    return idea, lambda: services.idea_update(
        actor=seir, idea=idea, changes={"source_meetings": [workshop]}
    )


def _meeting_entries(venture_id):
    """The venture's timeline entries about the meeting: (kind, day, place), in order."""
    return [
        (
            kind.removeprefix("scouting."),
            local_day(datetime.datetime.fromisoformat(data["held_at"])),
            data["location"],
        )
        for kind, data in Event.objects.filter(
            venture_id=venture_id,
            kind__in=["scouting.meeting_in_venture", "scouting.meeting_in_venture_corrected"],
        )
        .order_by("id")
        .values_list("kind", "data")
    ]


@pytest.mark.parametrize("how", ["promoted", "linked", "meeting added"])
@pytest.mark.parametrize("venture_first", [True, False])
def test_a_meeting_corrected_while_its_idea_becomes_a_venture(
    seir, programme, workshop, how, venture_first
):
    idea, becomes_venture = _becomes_venture(how, seir, programme, workshop)

    def correct():
        services.meeting_update(
            actor=seir,
            meeting=workshop,
            changes={"held_at": at(LATER), "location": "Saheli Hub"},
        )

    raised = race(becomes_venture, correct) if venture_first else race(correct, becomes_venture)

    assert raised == []
    venture_id = Idea.objects.get(pk=idea.pk).venture_id
    if venture_first:
        # The correction waited for the venture, then told its timeline.
        assert _meeting_entries(venture_id) == [
            ("meeting_in_venture", DAY, "Old Place"),
            ("meeting_in_venture_corrected", LATER, "Saheli Hub"),
        ]
    else:
        # The venture's side waited for the correction, then read the meeting as corrected.
        assert _meeting_entries(venture_id) == [("meeting_in_venture", LATER, "Saheli Hub")]


@pytest.mark.parametrize("how", ["promoted", "linked", "meeting added"])
def test_a_correction_between_the_idea_being_locked_and_its_meetings(
    seir, programme, workshop, how, monkeypatch
):
    """The idea's side has locked the idea (and the venture, when linking) and is about to
    lock its meetings when the correction locks the meeting. The correction, committing,
    shares the idea's key (its source rows): had the idea's side written the idea's
    venture (a key) before waiting for the meeting, or linked the meeting (the tallies'
    lock) first, each would wait for the other and the database would end one with an
    error. Instead the correction commits first and the timeline shows the new details."""
    idea, becomes_venture = _becomes_venture(how, seir, programme, workshop)
    locking, raised = threading.Event(), []
    real = idea_services.meetings_lock

    def paused(pks):
        locking.set()
        time.sleep(HOLD_SECONDS)  # the correction locks the meeting meanwhile
        return real(pks)

    monkeypatch.setattr(idea_services, "meetings_lock", paused)

    thread = threading.Thread(
        target=in_transaction, args=(becomes_venture, raised), kwargs={"done": locking}
    )
    thread.start()
    locking.wait(10)
    try:
        services.meeting_update(
            actor=seir, meeting=workshop, changes={"held_at": at(LATER), "location": "Saheli Hub"}
        )
    finally:
        thread.join(30)

    assert raised == []
    venture_id = Idea.objects.get(pk=idea.pk).venture_id
    assert _meeting_entries(venture_id) == [("meeting_in_venture", LATER, "Saheli Hub")]
