"""Time in stage is derived from StageChange rows, never stored on the venture."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ventures import selectors, services
from ventures.factories import VentureFactory
from ventures.models import StageChange, Venture

pytestmark = pytest.mark.django_db


@pytest.fixture
def travelled(programme, seir, stages, days_ago):
    """A venture that entered Idea 100 days ago, Start-up 70 days ago and Pilot 12 days ago."""
    venture = VentureFactory(
        programme=programme, stage_code="idea", seir=seir, history=days_ago(100)
    )
    StageChange.objects.create(
        venture=venture,
        from_stage=stages["idea"],
        to_stage=stages["startup"],
        changed_by=seir,
        changed_at=days_ago(70),
    )
    StageChange.objects.create(
        venture=venture,
        from_stage=stages["startup"],
        to_stage=stages["pilot"],
        changed_by=seir,
        changed_at=days_ago(12),
    )
    Venture.objects.filter(pk=venture.pk).update(stage=stages["pilot"])
    venture.refresh_from_db()
    return venture


def test_stage_path_gives_each_visit_its_dates_and_days(travelled, stages):
    # given: the rows' own timestamps
    idea, startup, pilot = StageChange.objects.filter(venture=travelled).order_by("changed_at")

    # when
    path = selectors.stage_visit_list(venture=travelled)

    # then
    assert [(v.stage, v.entered_at, v.left_at, v.days, v.is_current) for v in path] == [
        (stages["idea"], idea.changed_at, startup.changed_at, 30, False),
        (stages["startup"], startup.changed_at, pilot.changed_at, 58, False),
        (stages["pilot"], pilot.changed_at, None, 12, True),
    ]
    assert [v.change.pk for v in path] == [idea.pk, startup.pk, pilot.pk]


def test_stage_path_with_absolute_dates(programme, seir, stages):
    # given: a move whose row is back-dated (time travel by updating the row)
    entered = datetime.datetime(2024, 1, 10, 9, 0, tzinfo=datetime.UTC)
    left = datetime.datetime(2024, 3, 15, 9, 0, tzinfo=datetime.UTC)  # 2024 is a leap year
    venture = VentureFactory(programme=programme, stage_code="idea", seir=seir, history=entered)
    change = services.venture_move(
        actor=seir, venture=venture, to_stage=stages["startup"], override_reason="Back-dated test."
    )
    StageChange.objects.filter(pk=change.pk).update(changed_at=left)

    # when
    first, second = selectors.stage_visit_list(venture=venture)

    # then
    assert (first.entered_at, first.left_at, first.days) == (entered, left, 65)
    assert second.entered_at == left
    assert second.left_at is None
    assert second.days == (timezone.now() - left).days


def test_revisited_stage_is_a_separate_visit(programme, seir, stages, days_ago):
    # given: idea -> start-up -> back to idea
    venture = VentureFactory(
        programme=programme, stage_code="idea", seir=seir, history=days_ago(50)
    )
    StageChange.objects.create(
        venture=venture,
        from_stage=stages["idea"],
        to_stage=stages["startup"],
        changed_at=days_ago(40),
    )
    StageChange.objects.create(
        venture=venture,
        from_stage=stages["startup"],
        to_stage=stages["idea"],
        changed_at=days_ago(5),
    )

    # when
    path = selectors.stage_visit_list(venture=venture)

    # then
    assert [(v.stage.code, v.days) for v in path] == [("idea", 10), ("startup", 35), ("idea", 5)]


def test_with_stage_entered_equals_the_latest_change(travelled, programme, seir, days_ago):
    # given: another venture whose newest row by time was inserted before an older one
    later_by_time = VentureFactory(
        programme=programme, stage_code="idea", seir=seir, history=days_ago(9)
    )
    StageChange.objects.create(
        venture=later_by_time, to_stage=later_by_time.stage, changed_at=days_ago(3)
    )
    StageChange.objects.create(
        venture=later_by_time, to_stage=later_by_time.stage, changed_at=days_ago(6)
    )

    # when
    annotated = {
        v.pk: v.stage_entered_at for v in selectors.with_stage_entered(Venture.objects.all())
    }

    # then
    assert annotated == {
        travelled.pk: StageChange.objects.filter(venture=travelled).latest().changed_at,
        later_by_time.pk: StageChange.objects.filter(venture=later_by_time).latest().changed_at,
    }
    assert (
        annotated[later_by_time.pk]
        == StageChange.objects.get(venture=later_by_time, changed_at__gt=days_ago(4)).changed_at
    )


def test_days_in_stage_is_not_stored_on_venture():
    field_names = {f.name for f in Venture._meta.get_fields()}

    assert "days_in_stage" not in field_names
    assert "stage_entered_at" not in field_names
    assert not any("entered" in name for name in field_names)


def test_venture_page_shows_derived_days(client, travelled, seir):
    # given
    client.force_login(seir)

    # when
    response = client.get(reverse("ventures:detail", args=[travelled.pk]))

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "12 days in stage" in html
    assert "· 30 days" in html and "· 58 days" in html and "· 12 days" in html
