"""Correcting and deleting a meeting while someone else writes (PostgreSQL, two
connections): a double "Delete", a correction and a delete at once, a correction that
adds an organisation being merged. Each finishes or is refused with a message, never an
error page, and the day's counts equal a recount from the meetings."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Event
from scouting import services
from scouting.factories import OrganisationFactory
from scouting.models import Meeting, Organisation, Sector
from scouting.services.meetings import DIRECTORY_CHANGED, MeetingInput
from scouting.tests.test_tallies import assert_in_step
from tests.concurrency import TWO_CONNECTIONS, race

pytestmark = TWO_CONNECTIONS


@pytest.fixture
def meeting(seir, programme):
    return services.meeting_log(
        actor=seir,
        programme=programme,
        meeting=MeetingInput(held_at=timezone.now(), meeting_type="one_to_one", notes="First"),
    )


def test_two_deletes_at_once_delete_it_once_and_the_second_is_told(seir, programme, meeting):
    def delete():
        services.meeting_delete(actor=seir, meeting=meeting)

    raised = race(delete, delete)

    assert [type(e) for e in raised] == [services.MeetingGone]
    assert raised[0].message == "This meeting was already deleted."
    assert not Meeting.objects.exists()
    assert Event.objects.filter(kind="scouting.meeting_deleted").count() == 1
    assert_in_step(programme)


@pytest.mark.parametrize("correction_first", [True, False])
def test_a_correction_and_a_delete_at_once(seir, programme, meeting, correction_first):
    def correct():
        services.meeting_update(actor=seir, meeting=meeting, changes={"notes": "Corrected"})

    def delete():
        services.meeting_delete(actor=seir, meeting=meeting)

    raised = race(correct, delete) if correction_first else race(delete, correct)

    # Either way the meeting is gone; a correction that came second is told so.
    assert not Meeting.objects.exists()
    assert [type(e) for e in raised] == ([] if correction_first else [services.MeetingGone])
    assert_in_step(programme)


@pytest.mark.parametrize("correction_first", [True, False])
def test_a_correction_adding_an_organisation_being_merged(
    seir, programme, meeting, correction_first
):
    keep = OrganisationFactory(programme=programme, name="Saheli", sector=Sector.COMMUNITY_GROUP)
    remove = OrganisationFactory(programme=programme, name="Saheli.", sector=Sector.GP_PRACTICE)

    def correct():
        services.meeting_update(actor=seir, meeting=meeting, changes={"organisations": [remove]})

    def merge():
        services.organisation_merge(actor=seir, keep=keep, remove=remove)

    raised = race(correct, merge) if correction_first else race(merge, correct)

    assert not Organisation.objects.filter(pk=remove.pk).exists()
    if correction_first:
        # The merge waited for the correction, then moved its link to the kept record.
        assert raised == []
        assert list(meeting.organisations.all()) == [keep]
    else:
        # The correction waited for the merge, then was refused: nothing of it saved.
        assert [type(e) for e in raised] == [ValidationError]
        assert raised[0].messages == [DIRECTORY_CHANGED]
        assert not meeting.organisations.exists()
    assert_in_step(programme)
