"""The summary rows (``MeetingTally``, ``IdeaSource``) always equal what they summarise:
after each kind of write, the rows are compared with a count made here, in Python, from
the meetings, their organisations and the ideas' source meetings."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from accounts.models import Role
from scouting.factories import IdeaFactory, MeetingFactory, OrganisationFactory
from scouting.models import ANY_TYPE, EVERY_MEETING, Idea, IdeaSource, Meeting, MeetingTally, Sector
from scouting.services.directory import organisation_update
from scouting.services.ideas import idea_link_venture, idea_promote
from scouting.services.meetings import MeetingInput, meeting_log
from scouting.services.merges import organisation_merge
from scouting.tallies import programme_rebuild
from tests.people import member
from ventures.factories import VentureFactory
from ventures.models import Stage, StageTransition
from ventures.services import venture_move, venture_update_profile

pytestmark = pytest.mark.django_db

LONDON_EVENING = datetime.time(23, 30)  # 23:30 in London in winter: still that day


def at(day: datetime.date, time: datetime.time = datetime.time(10)) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def expected_meetings(programme) -> Counter:
    """(day, logged_by, type, '') and (day, logged_by, '', sector) -> meetings, counted
    by hand."""
    counts: Counter = Counter()
    for m in Meeting.objects.filter(programme=programme).prefetch_related("organisations"):
        key = (timezone.localtime(m.held_at).date(), m.logged_by_id)
        counts[(*key, m.meeting_type, EVERY_MEETING)] += 1
        for sector in {o.sector for o in m.organisations.all()}:
            counts[(*key, ANY_TYPE, sector)] += 1  # a sector's rows: every type
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


# --- what a source row keeps for the funnels: its chain and its idea's venture -------


def assert_each_idea_counted_once(programme):
    """For every run of days (from, to) over the days the rows have, and with and without
    one SEiR: the rows counted (``prev_day`` empty or before the run) are exactly one per
    idea of each sector with a source row in the run, worked out here from the rows'
    days."""
    rows = list(IdeaSource.objects.filter(programme=programme))
    days = sorted({r.day for r in rows})
    edges = [*days, days[-1] + datetime.timedelta(days=1)] if days else []
    for first in edges:
        for last in (d for d in edges if d >= first):
            for by_seir in (False, True):

                def chain(r, by_seir=by_seir):
                    return (
                        (r.idea_id, r.sector, r.logged_by_id) if by_seir else (r.idea_id, r.sector)
                    )

                inside = [r for r in rows if first <= r.day <= last]
                prev = [r.prev_day_by_seir if by_seir else r.prev_day for r in inside]
                counted = Counter(
                    chain(r) for r, p in zip(inside, prev, strict=True) if p is None or p < first
                )
                assert counted == Counter({chain(r): 1 for r in inside}), (first, last, by_seir)


def assert_ventures_copied(programme):
    """Each row holds its idea's venture and that venture's programme, SEiR and first
    entry into the target stage, as they are now."""
    ideas = {i.pk: i for i in Idea.objects.filter(programme=programme).select_related("venture")}
    for r in IdeaSource.objects.filter(programme=programme):
        v = ideas[r.idea_id].venture
        expected = (v.pk, v.programme_id, v.seir_id, v.target_reached_at) if v else (None,) * 4
        held = (r.venture_id, r.venture_programme_id, r.venture_seir_id)
        held += (r.venture_target_reached_at,)
        # Without a venture the other three are not read (a deleted venture's stay).
        assert held[: 1 if v is None else 4] == expected[: 1 if v is None else 4], r


def test_each_idea_counts_once_in_any_run_of_days(programme, seir, other_seir, orgs):
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in (1, 3, 3, 6, 9)]
    meetings = [
        MeetingFactory(programme=programme, held_at=at(day), logged_by=who)
        for day, who in zip(days, (seir, seir, other_seir, None, seir), strict=True)
    ]
    for m in meetings[:3]:
        m.organisations.set([orgs["gp"]])
    meetings[3].organisations.set([orgs["gp"], orgs["vcs"]])
    idea = IdeaFactory(programme=programme, source_meetings=meetings)
    IdeaFactory(programme=programme, source_meetings=meetings[1:4])
    assert_each_idea_counted_once(programme)
    # Writes that change an idea's chain: a source removed, a meeting moved day.
    idea.source_meetings.remove(meetings[1])
    meetings[4].held_at = at(today)
    meetings[4].save()
    assert_each_idea_counted_once(programme)
    kept = sorted(IdeaSource.objects.values_list("idea_id", "day", "sector", "prev_day"))
    programme_rebuild(programme.pk)
    assert sorted(IdeaSource.objects.values_list("idea_id", "day", "sector", "prev_day")) == kept


def test_the_rows_follow_their_ideas_venture(programme, seir, orgs):
    other_seir = member(programme, Role.SEIR, username="owen", first_name="Owen")
    day = timezone.localdate() - datetime.timedelta(days=5)
    meeting = MeetingFactory(programme=programme, held_at=at(day), logged_by=seir)
    meeting.organisations.set([orgs["gp"]])
    promoted = IdeaFactory(programme=programme, source_meetings=[meeting])
    linked = IdeaFactory(programme=programme, source_meetings=[meeting])
    assert_ventures_copied(programme)
    assert not IdeaSource.objects.filter(venture__isnull=False).exists()

    venture = idea_promote(actor=seir, idea=promoted, venture_fields={"name": "Walking Netball"})
    target = Stage.objects.get(programme=programme, code=programme.target_stage_code)
    before_target = StageTransition.objects.filter(to_stage=target).first().from_stage
    existing = VentureFactory(programme=programme, stage=before_target, seir=seir)
    idea_link_venture(actor=seir, idea=linked, venture=existing)
    assert_ventures_copied(programme)
    assert IdeaSource.objects.filter(venture=existing).count() == 2  # every sector and GP

    # Another SEiR takes the venture on; it reaches the target stage.
    existing.refresh_from_db()
    venture_update_profile(
        actor=seir, venture=existing, data={"seir": other_seir}, expected_version=existing.version
    )
    venture_move(actor=seir, venture=existing, to_stage=target, override_reason="By hand")
    assert_ventures_copied(programme)
    reached = IdeaSource.objects.filter(venture=existing).values_list(
        "venture_seir_id", "venture_target_reached_at"
    )
    assert {seir_id for seir_id, _ in reached} == {other_seir.pk}
    assert all(at is not None for _, at in reached)

    # The programme's target stage moves beyond it: no longer reached.
    programme.target_stage_code = (
        Stage.objects.filter(programme=programme, order__gt=target.order)
        .order_by("order")
        .first()
        .code
    )
    programme.save()
    assert_ventures_copied(programme)
    assert not IdeaSource.objects.filter(venture_target_reached_at__isnull=False).exists()

    # A rebuild gives the same rows; a deleted venture leaves its idea's rows none.
    kept = sorted(
        IdeaSource.objects.values_list("idea_id", "sector", "venture_id", "venture_seir_id")
    )
    programme_rebuild(programme.pk)
    assert (
        sorted(IdeaSource.objects.values_list("idea_id", "sector", "venture_id", "venture_seir_id"))
        == kept
    )
    venture.delete()
    assert not IdeaSource.objects.filter(idea=promoted, venture__isnull=False).exists()
    assert_ventures_copied(programme)
