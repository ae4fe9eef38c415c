"""Issue 16 item 11: the activity feed files a dated step under the day it happened (an
introduction step dated 12 July appears under July), shows when it was recorded beside
it, and its CSV carries both."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Step
from commissioning.services import introduction_make, referral_move
from events.models import Event
from ventures import services as venture_services

pytestmark = pytest.mark.django_db


def _last_12_july() -> datetime.date:
    today = timezone.localdate()
    july = datetime.date(today.year, 7, 12)
    return july if july < today else datetime.date(today.year - 1, 7, 12)


@pytest.fixture
def dated_history(programme, seir, venture, contact):
    """Recorded today, in this order: an introduction made on 1 July, a note (happening
    now), then the introduction's move to "Introduced" dated 12 July."""
    july_12 = _last_12_july()
    Event.objects.all().delete()
    introduction = introduction_make(
        actor=seir,
        venture=venture,
        contact=contact,
        purpose="COPD rehabilitation pilot",
        made_on=july_12.replace(day=1),
    )
    venture_services.venture_note_add(
        actor=seir, venture=venture, body="Hall booked.", visibility="team"
    )
    referral_move(actor=seir, referral=introduction, to_step=Step.INTRODUCED, on=july_12)
    return july_12


def _feed(client, programme, params=None):
    response = client.get(reverse("events:programme_activity", args=[programme.pk]), params or {})
    assert response.status_code == 200
    return response


def _kinds(response) -> list[str]:
    return [e.kind for e in response.context["page"].object_list]


def test_the_step_is_stored_as_happening_on_its_day_and_recorded_now(dated_history, seir):
    # given the move dated 12 July, recorded today
    moved = Event.objects.get(kind="commissioning.introduction_moved")

    # then it happened on 12 July (only the day is known) and was recorded today
    assert timezone.localdate(moved.at) == dated_history
    assert moved.at_is_day is True
    assert timezone.localdate(moved.recorded_at) == timezone.localdate()
    assert moved.recorded_apart is True
    # and a note, which happens as it is recorded, is not "recorded apart"
    note = Event.objects.get(kind="venture.note_added")
    assert (note.at_is_day, note.recorded_apart) == (False, False)
    assert abs(note.recorded_at - note.at) < datetime.timedelta(seconds=5)


def test_the_feed_orders_by_when_things_happened(client, programme, seir, dated_history):
    client.force_login(seir)

    # newest happening first, whatever the order they were recorded in
    assert _kinds(_feed(client, programme)) == [
        "venture.note_added",
        "commissioning.introduction_moved",
        "commissioning.introduction_made",
    ]


def test_a_july_date_filter_finds_the_july_step_and_todays_does_not(
    client, programme, seir, dated_history
):
    client.force_login(seir)
    july_12 = dated_history
    today = timezone.localdate().isoformat()

    # when filtered to July, then both July steps are there (and today's note is not)
    july = {"date_from": july_12.replace(day=1).isoformat(), "date_to": f"{july_12.year}-07-31"}
    assert _kinds(_feed(client, programme, july)) == [
        "commissioning.introduction_moved",
        "commissioning.introduction_made",
    ]
    # when filtered to 12 July alone, then exactly the move
    day = {"date_from": july_12.isoformat(), "date_to": july_12.isoformat()}
    assert _kinds(_feed(client, programme, day)) == ["commissioning.introduction_moved"]
    # when filtered to today (the day they were recorded), then only the note
    assert _kinds(_feed(client, programme, {"date_from": today, "date_to": today})) == [
        "venture.note_added"
    ]


def test_the_feed_shows_the_day_it_happened_with_the_time_it_was_recorded(
    client, programme, seir, dated_history
):
    client.force_login(seir)
    moved = Event.objects.get(kind="commissioning.introduction_moved")
    note = Event.objects.get(kind="venture.note_added")
    recorded = timezone.localtime(moved.recorded_at)

    page = _feed(client, programme).content.decode()

    day = f"{dated_history:%Y-%m-%d}"
    assert f'<time datetime="{day}">12 Jul {dated_history.year}</time>' in page
    assert (
        '<span class="event-recorded d-block small text-body-secondary">recorded '
        f'<time datetime="{recorded.isoformat()}">{recorded:%-d %b %Y, %H:%M}</time></span>'
    ) in page
    # the note happened when it was recorded: no "recorded" beside it
    assert page.count("event-recorded") == 2  # the move and the introduction, not the note
    noted = timezone.localtime(note.at)
    assert f'<time datetime="{noted.isoformat()}">{noted:%-d %b %Y, %H:%M}</time></td>' in page


def test_the_csv_carries_when_it_happened_and_when_it_was_recorded(
    client, programme, seir, dated_history
):
    client.force_login(seir)
    response = client.get(
        reverse("events:programme_activity_export", args=[programme.pk]),
        {"kind": "commissioning.introduction_moved"},
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    moved = Event.objects.get(kind="commissioning.introduction_moved")

    assert rows[0][:3] == ["happened_at", "recorded_at", "kind"]
    assert [row[:3] for row in rows[1:]] == [
        [
            dated_history.isoformat(),
            timezone.localtime(moved.recorded_at).isoformat(timespec="seconds"),
            "commissioning.introduction_moved",
        ]
    ]


def test_the_venture_timeline_shows_the_day_and_the_recording(client, venture, seir, dated_history):
    client.force_login(seir)

    page = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()

    assert f'<time datetime="{dated_history:%Y-%m-%d}">12 Jul {dated_history.year}</time>' in page
    assert '<span class="event-recorded"> · recorded <time' in page
