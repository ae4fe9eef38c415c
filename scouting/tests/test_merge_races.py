"""An organisation merged while a meeting with it is being logged (PostgreSQL, two
connections). Meeting first: the merge waits for it, then moves its link to the kept
organisation. Merge first: the meeting waits, then is refused with a clear message.
Either way the day's meeting counts are right. Before, foreign keys being checked at
commit, a merge that removed the organisation meanwhile made the meeting fail as it
committed: an error page, and the meeting lost."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from scouting import services
from scouting.factories import OrganisationFactory
from scouting.models import Meeting, Organisation, Sector
from scouting.services.meetings import DIRECTORY_CHANGED, MeetingInput
from scouting.tally_models import MeetingTally
from tests.concurrency import TWO_CONNECTIONS, race

pytestmark = TWO_CONNECTIONS


@pytest.fixture
def pair(programme):
    keep = OrganisationFactory(
        programme=programme, name="Saheli Women's Group", sector=Sector.COMMUNITY_GROUP
    )
    remove = OrganisationFactory(
        programme=programme, name="Saheli Womens Group", sector=Sector.COMMUNITY_GROUP
    )
    return keep, remove


def _log(seir, programme, organisation):
    def log():
        services.meeting_log(
            actor=seir,
            programme=programme,
            meeting=MeetingInput(
                held_at=timezone.now(), meeting_type="one_to_one", organisations=[organisation]
            ),
        )

    return log


def _merge(seir, keep, remove):
    def merge():
        services.organisation_merge(actor=seir, keep=keep, remove=remove)

    return merge


@pytest.mark.parametrize("meeting_first", [True, False])
def test_a_merge_and_a_meeting_with_the_organisation_at_once_both_finish(
    seir, programme, pair, meeting_first
):
    keep, remove = pair
    log, merge = _log(seir, programme, remove), _merge(seir, keep, remove)
    first, second = (log, merge) if meeting_first else (merge, log)
    raised = race(first, second)
    if not meeting_first:
        # The meeting waited for the merge, then found its organisation gone: a clear
        # refusal, nothing saved (the form comes back as typed).
        assert len(raised) == 1 and isinstance(raised[0], ValidationError)
        assert raised[0].messages == [DIRECTORY_CHANGED]
        assert Meeting.objects.count() == 0
    else:
        assert raised == []
        meeting = Meeting.objects.get()
        assert list(meeting.organisations.values_list("pk", flat=True)) == [keep.pk]
    assert not Organisation.objects.filter(pk=remove.pk).exists()
    counted = sum(
        MeetingTally.objects.filter(programme=programme, sector=Sector.COMMUNITY_GROUP).values_list(
            "meetings", flat=True
        )
    )
    assert counted == Meeting.objects.count()
