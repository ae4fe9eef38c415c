"""The attribution funnel: meetings -> ideas -> ventures -> ventures counting, by sector."""

import datetime

import pytest
from django.utils import timezone

from scouting.factories import IdeaFactory, MeetingFactory
from scouting.funnel import FunnelRow, scouting_funnel
from scouting.models import IdeaStatus
from ventures.factories import VentureFactory
from ventures.models import Stage, StageChange

pytestmark = pytest.mark.django_db


def test_funnel_by_sector_counts_target_stage_within_period(programme, saheli, surgery, seir):
    community = MeetingFactory(programme=programme, organisations=[saheli])
    gp = MeetingFactory(programme=programme, organisations=[surgery])
    MeetingFactory(programme=programme, organisations=[saheli, surgery])
    MeetingFactory(programme=programme)  # no organisation recorded
    counting = VentureFactory(programme=programme, stage_code="idea", seir=seir)
    StageChange.objects.create(
        venture=counting,
        from_stage=counting.stage,
        to_stage=Stage.objects.get(programme=programme, code="pilot"),
        changed_at=timezone.now(),
    )
    late = VentureFactory(programme=programme, stage_code="idea", seir=seir)
    StageChange.objects.create(
        venture=late,
        from_stage=late.stage,
        to_stage=Stage.objects.get(programme=programme, code="growth"),
        changed_at=timezone.make_aware(
            datetime.datetime.combine(programme.end_date, datetime.time(12))
        )
        + datetime.timedelta(days=1),
    )
    now = timezone.now()
    IdeaFactory(programme=programme, source_meetings=[community])
    IdeaFactory(
        programme=programme,
        source_meetings=[community],
        venture=counting,
        status=IdeaStatus.PROMOTED,
        promoted_at=now,
    )
    IdeaFactory(
        programme=programme,
        source_meetings=[gp],
        venture=late,
        status=IdeaStatus.PROMOTED,
        promoted_at=now,
    )
    IdeaFactory(programme=programme)  # not from a meeting

    assert scouting_funnel([programme.pk]) == [
        FunnelRow("gp_practice", "GP practice", 2, 1, 1, 0),
        FunnelRow("community_group", "Community group", 2, 2, 1, 1),
        FunnelRow("all", "All sectors", 4, 3, 2, 1),
    ]


def test_funnel_of_other_programme_is_empty(programme, other_programme, saheli):
    MeetingFactory(programme=programme, organisations=[saheli])
    assert scouting_funnel([other_programme.pk]) == [FunnelRow("all", "All sectors", 0, 0, 0, 0)]


def test_a_venture_that_reached_the_target_stage_before_the_period_does_not_count(
    programme, saheli, seir
):
    """The dashboard's definition (issue 17): the FIRST entry into the target stage, or a
    later one, must fall within the period; moving on inside the period is not enough."""
    meeting = MeetingFactory(programme=programme, organisations=[saheli])
    before = timezone.make_aware(
        datetime.datetime.combine(programme.start_date, datetime.time(12))
    ) - datetime.timedelta(days=5)
    early = VentureFactory(programme=programme, stage_code="idea", seir=seir, history=before)
    pilot = Stage.objects.get(programme=programme, code="pilot")
    StageChange.objects.create(
        venture=early, from_stage=early.stage, to_stage=pilot, changed_at=before
    )
    StageChange.objects.create(
        venture=early,
        from_stage=pilot,
        to_stage=Stage.objects.get(programme=programme, code="growth"),
        changed_at=timezone.now(),
    )
    IdeaFactory(
        programme=programme,
        source_meetings=[meeting],
        venture=early,
        status=IdeaStatus.PROMOTED,
        promoted_at=timezone.now(),
    )

    assert scouting_funnel([programme.pk])[-1] == FunnelRow("all", "All sectors", 1, 1, 1, 0)
