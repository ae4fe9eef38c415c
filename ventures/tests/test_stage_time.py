"""Time in stage: the stage history (StageChange rows) is the record; the venture keeps
``stage_entered_at`` in step with it (venture_create, venture_move, the bulk import) so
lists and the board need no subquery per row."""

import datetime
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from ventures import selectors, services
from ventures.factories import VentureFactory
from ventures.models import StageChange, Venture
from ventures.search import search_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def travelled(programme, seir, stages, days_ago):
    """A venture that entered Idea 100 days ago, Start-up 70 days ago and Pilot 12 days ago."""
    venture = VentureFactory(
        programme=programme, stage_code="idea", seir=seir, history=days_ago(100)
    )
    for code, days in (("startup", 70), ("pilot", 12)):
        services.venture_move(
            actor=seir,
            venture=venture,
            to_stage=stages[code],
            override_reason="Test history.",
            at=days_ago(days),
        )
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


def test_stored_stage_entered_at_follows_every_move(travelled, programme, seir, stages, days_ago):
    # given: a venture that never moved, and one moved forwards then back
    never = VentureFactory(programme=programme, stage_code="idea", seir=seir, history=days_ago(9))
    back = VentureFactory(programme=programme, stage_code="idea", seir=seir, history=days_ago(30))
    services.venture_move(
        actor=seir, venture=back, to_stage=stages["startup"], override_reason="x", at=days_ago(20)
    )
    services.venture_move(actor=seir, venture=back, to_stage=stages["idea"], at=days_ago(2))

    # when
    stored = dict(Venture.objects.values_list("pk", "stage_entered_at"))

    # then: each equals the venture's latest stage change
    assert stored == {
        v.pk: StageChange.objects.filter(venture=v).latest().changed_at
        for v in (travelled, never, back)
    }
    assert (timezone.now() - stored[back.pk]).days == 2


def test_venture_create_stores_the_moment_it_entered_its_first_stage(programme, seir, days_ago):
    moment = days_ago(15)

    venture = services.venture_create(actor=seir, programme=programme, name="New", at=moment)

    venture.refresh_from_db()
    assert venture.stage_entered_at == moment == venture.stage_changes.get().changed_at


def test_a_refused_move_leaves_stage_entered_at_alone(programme, seir, stages, days_ago):
    # given
    venture = VentureFactory(programme=programme, stage_code="idea", seir=seir, history=days_ago(5))
    before = Venture.objects.get(pk=venture.pk).stage_entered_at

    # when: the gate is not met and no override is given
    with pytest.raises(services.MoveRefused):
        services.venture_move(actor=seir, venture=venture, to_stage=stages["startup"])

    # then
    assert Venture.objects.get(pk=venture.pk).stage_entered_at == before


def test_migration_back_fills_from_the_latest_change(travelled, programme, seir, days_ago):
    # given: the stored values lost, as before the migration
    never = VentureFactory(programme=programme, stage_code="idea", seir=seir, history=days_ago(9))
    Venture.objects.update(stage_entered_at=None, search_text="")
    backfill = importlib.import_module(
        "ventures.migrations.0006_venture_stage_entered_at_and_search"
    ).backfill

    # when
    backfill(django_apps, None)

    # then
    assert dict(Venture.objects.values_list("pk", "stage_entered_at")) == {
        travelled.pk: StageChange.objects.filter(venture=travelled).latest().changed_at,
        never.pk: StageChange.objects.get(venture=never).changed_at,
    }
    assert all(v.search_text == search_document(v) for v in Venture.objects.all())


@pytest.mark.parametrize("sort", ["entered", "-entered"])
def test_sorting_by_days_in_stage_counts_ventures_that_never_moved(
    client, programme, seir, stages, days_ago, sort
):
    # given: two that never moved (added 50 and 20 days ago); one added 100 days ago
    # that moved 5 days ago (its time in stage restarted then)
    never_50 = VentureFactory(programme=programme, name="A", seir=seir, history=days_ago(50))
    never_20 = VentureFactory(programme=programme, name="B", seir=seir, history=days_ago(20))
    moved = VentureFactory(programme=programme, name="C", seir=seir, history=days_ago(100))
    services.venture_move(
        actor=seir, venture=moved, to_stage=stages["startup"], override_reason="x", at=days_ago(5)
    )
    client.force_login(seir)

    # when
    html = client.get(reverse("ventures:list"), {"sort": sort}).content.decode()

    # then: longest in stage first for "entered" (earliest entry), and the days shown
    rows = re.findall(r'<a href="/ventures/(\d+)/">.*?<td class="text-end">(\d+)</td>', html, re.S)
    expected = [(never_50.pk, 50), (never_20.pk, 20), (moved.pk, 5)]
    if sort == "-entered":
        expected.reverse()
    assert [(int(pk), int(days)) for pk, days in rows] == expected


def test_days_in_stage_itself_is_not_stored():
    field_names = {f.name for f in Venture._meta.get_fields()}

    assert "days_in_stage" not in field_names
    assert "stage_entered_at" in field_names


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
