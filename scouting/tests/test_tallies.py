"""The summary rows (``MeetingTally``, ``IdeaSource``) always equal what they summarise:
after each kind of write, the rows are compared with a count made here, in Python, from
the meetings, their organisations and the ideas' source meetings."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from scouting.factories import IdeaFactory, MeetingFactory, OrganisationFactory
from scouting.models import EVERY_MEETING, Idea, IdeaSource, Meeting, MeetingTally, Sector
from scouting.services.directory import organisation_update
from scouting.services.meetings import MeetingInput, meeting_log
from scouting.services.merges import organisation_merge
from scouting.tallies import programme_rebuild

pytestmark = pytest.mark.django_db

LONDON_EVENING = datetime.time(23, 30)  # 23:30 in London in winter: still that day


def at(day: datetime.date, time: datetime.time = datetime.time(10)) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def expected_meetings(programme) -> Counter:
    """(day, logged_by, type, sector or '') -> meetings, counted by hand."""
    counts: Counter = Counter()
    for m in Meeting.objects.filter(programme=programme).prefetch_related("organisations"):
        key = (timezone.localtime(m.held_at).date(), m.logged_by_id, m.meeting_type)
        counts[(*key, EVERY_MEETING)] += 1
        for sector in {o.sector for o in m.organisations.all()}:
            counts[(*key, sector)] += 1
    return counts


def stored_meetings(programme) -> Counter:
    counts: Counter = Counter()
    for t in MeetingTally.objects.filter(programme=programme):
        counts[(t.day, t.logged_by_id, t.meeting_type, t.sector)] += t.meetings
    return counts


def expected_sources(programme) -> set:
    rows = set()
    for idea in Idea.objects.filter(programme=programme).prefetch_related(
        "source_meetings__organisations"
    ):
        for m in idea.source_meetings.all():
            key = (idea.pk, timezone.localtime(m.held_at).date(), m.logged_by_id)
            rows.add((*key, EVERY_MEETING))
            rows |= {(*key, o.sector) for o in m.organisations.all()}
    return rows


def stored_sources(programme) -> set:
    rows = IdeaSource.objects.filter(programme=programme)
    stored = [(r.idea_id, r.day, r.logged_by_id, r.sector) for r in rows]
    assert len(stored) == len(set(stored)), "an idea's source row is stored twice"
    return set(stored)


def assert_in_step(programme):
    assert stored_meetings(programme) == expected_meetings(programme)
    assert stored_sources(programme) == expected_sources(programme)


@pytest.fixture
def orgs(programme):
    return {
        "gp": OrganisationFactory(programme=programme, name="Surgery", sector=Sector.GP_PRACTICE),
        "gp2": OrganisationFactory(programme=programme, name="Clinic", sector=Sector.GP_PRACTICE),
        "vcs": OrganisationFactory(
            programme=programme, name="Saheli", sector=Sector.COMMUNITY_GROUP
        ),
    }


def test_logging_a_meeting_counts_it_on_its_local_day_by_type_and_sector(programme, seir, orgs):
    day = datetime.date(2026, 11, 20)
    meeting = meeting_log(
        actor=seir,
        programme=programme,
        meeting=MeetingInput(
            held_at=at(day, LONDON_EVENING),
            meeting_type="workshop",
            organisations=[orgs["gp"], orgs["gp2"], orgs["vcs"]],
        ),
    )
    rows = {(t.day, t.sector): t.meetings for t in MeetingTally.objects.filter(programme=programme)}
    # One meeting: once in all, once per sector however many organisations of it came.
    assert rows == {
        (day, EVERY_MEETING): 1,
        (day, Sector.GP_PRACTICE): 1,
        (day, Sector.COMMUNITY_GROUP): 1,
    }
    assert MeetingTally.objects.get(programme=programme, sector="").logged_by == seir
    assert meeting.organisations.count() == 3


def test_every_kind_of_write_keeps_the_rows_in_step(programme, seir, orgs):
    day = timezone.localdate() - datetime.timedelta(days=10)
    first = MeetingFactory(programme=programme, held_at=at(day), logged_by=seir)
    first.organisations.set([orgs["gp"]])
    second = MeetingFactory(
        programme=programme, held_at=at(day), logged_by=seir, meeting_type="event"
    )
    second.organisations.set([orgs["vcs"], orgs["gp2"]])
    third = MeetingFactory(programme=programme, held_at=at(day - datetime.timedelta(days=3)))
    idea = IdeaFactory(programme=programme, source_meetings=[first, third])
    other_idea = IdeaFactory(programme=programme, source_meetings=[second])
    assert_in_step(programme)
    assert stored_meetings(programme)[(day, seir.pk, "one_to_one", EVERY_MEETING)] == 1

    # A meeting moved to another day, its organisations changed either way round.
    first.held_at = at(day + datetime.timedelta(days=1))
    first.save()
    assert_in_step(programme)
    first.organisations.add(orgs["vcs"])
    orgs["gp2"].meetings.remove(second)
    third.organisations.set([orgs["gp2"]])
    assert_in_step(programme)

    # An idea's sources changed from either side.
    idea.source_meetings.remove(third)
    second.ideas.add(idea)
    assert_in_step(programme)
    second.ideas.clear()
    assert_in_step(programme)

    # An organisation changes sector (through the service), is merged, is deleted.
    organisation_update(
        actor=seir, organisation=orgs["gp"], changes={"sector": Sector.LOCAL_AUTHORITY}
    )
    assert_in_step(programme)
    organisation_merge(actor=seir, keep=orgs["vcs"], remove=orgs["gp2"])
    assert_in_step(programme)
    orgs["gp"].delete()
    assert_in_step(programme)

    # A saved meeting whose counted fields did not change writes no summary row.
    before = list(MeetingTally.objects.order_by("pk").values_list("pk", flat=True))
    first.notes = "Notes only"
    first.save()
    assert list(MeetingTally.objects.order_by("pk").values_list("pk", flat=True)) == before
    other_idea.delete()
    assert not IdeaSource.objects.filter(idea_id=other_idea.pk).exists()
    assert_in_step(programme)


def test_a_rebuild_gives_the_rows_the_writes_kept(programme, seir, orgs):
    day = timezone.localdate() - datetime.timedelta(days=2)
    meetings = [
        MeetingFactory(programme=programme, held_at=at(day), logged_by=seir) for _ in range(3)
    ]
    meetings[0].organisations.set([orgs["gp"], orgs["vcs"]])
    IdeaFactory(programme=programme, source_meetings=meetings[:2])
    kept = stored_meetings(programme), stored_sources(programme)
    programme_rebuild(programme.pk)
    assert (stored_meetings(programme), stored_sources(programme)) == kept
    assert_in_step(programme)


def test_a_programme_counts_only_its_own_meetings(programme, other_programme, seir, orgs):
    MeetingFactory(programme=programme, held_at=at(timezone.localdate()))
    MeetingFactory(programme=other_programme, held_at=at(timezone.localdate()))
    assert sum(stored_meetings(programme).values()) == 1
    assert MeetingTally.objects.filter(programme=other_programme, sector="").get().meetings == 1
