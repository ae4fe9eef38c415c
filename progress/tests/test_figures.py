"""programme_figures: each headline figure against a computation written here, in plain
Python over every row, from the seeded data (never by calling the selector's helpers)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from accounts.factories import ProgrammeFactory
from checklists.models import ChecklistItem, ItemStatus
from commissioning.models import Contract, Introduction
from commissioning.models.referrals import STEP_TRANSITIONS
from funding.models import FundingApplication
from outcomes.models import Indicator
from plans.models import BusinessPlan
from progress.periods import Period, nhs_quarter, programme_period
from progress.selectors import programme_figures
from scouting.models import Meeting
from ventures.models import Stage, StageChange, Venture, VentureStatus
from ventures.reference import reference

from .conftest import add_venture, at, move, recount

pytestmark = pytest.mark.django_db


def _in(when, period: Period) -> bool:
    return period.start <= timezone.localdate(when) <= period.end


def expected_achieved(programme, period, seir=None) -> dict[str, datetime.date]:
    target = Stage.objects.get(programme=programme, code=programme.target_stage_code).order
    first: dict[int, datetime.datetime] = {}
    for change in StageChange.objects.select_related("to_stage", "venture"):
        venture = change.venture
        if venture.programme_id != programme.pk or (seir and venture.seir_id != seir.pk):
            continue
        if change.to_stage.order >= target:
            first[venture.pk] = min(first.get(venture.pk, change.changed_at), change.changed_at)
    names = {v.pk: v.name for v in Venture.objects.all()}
    return {names[pk]: timezone.localdate(when) for pk, when in first.items() if _in(when, period)}


def test_target_counts_first_entry_into_the_target_stage_within_the_period(programme, seeded):
    period = programme_period(programme)

    figures = programme_figures(programme=programme, period=period)

    expected = expected_achieved(programme, period)
    assert sorted(expected) == ["Alder", "Birch", "Damson", "Elm"]
    assert {v.name: v.reached_on for v in figures.target.ventures} == expected
    assert figures.target.achieved == 4
    assert figures.target.number == 3
    assert figures.target.on_track is True
    flags = {v.name: (v.moved_back, v.paused, v.closed) for v in figures.target.ventures}
    assert flags == {
        "Alder": (False, False, False),
        "Birch": (False, False, False),
        "Damson": (True, False, False),
        "Elm": (False, True, False),
    }
    assert figures.target.days_left == (programme.end_date - timezone.localdate()).days


def test_pipeline_figures_match_the_rows(programme, seeded):
    period = programme_period(programme)
    now = timezone.now()

    figures = programme_figures(programme=programme, period=period)

    ventures = list(Venture.objects.filter(programme=programme).select_related("stage"))
    active = [v for v in ventures if v.status == VentureStatus.ACTIVE]
    by_stage = {st.code: st.active for st in figures.pipeline.stages}
    for stage in Stage.objects.filter(programme=programme):
        assert by_stage[stage.code] == sum(1 for v in active if v.stage_id == stage.pk)
    assert by_stage == {"idea": 1, "startup": 2, "pilot": 1, "growth": 2, "scale": 0}
    stuck = [v for v in active if v.stage_entered_at < now - datetime.timedelta(days=120)]
    assert figures.pipeline.stuck == len(stuck) == 2  # Gorse (startup), Cedar (growth)
    quiet_cutoff = now - datetime.timedelta(days=45)
    quiet = [v for v in active if (v.last_activity_at or v.created_at) < quiet_cutoff]
    assert figures.pipeline.quiet == len(quiet)
    new = [v for v in ventures if _in(v.created_at, period)]
    assert figures.pipeline.new_ventures == len(new) == 7
    moves = [
        c
        for c in StageChange.objects.filter(venture__programme=programme)
        if c.from_stage_id and _in(c.changed_at, period)
    ]
    assert figures.pipeline.moves == len(moves)
    week = [
        c
        for c in StageChange.objects.filter(venture__programme=programme)
        if c.from_stage_id and c.changed_at >= now - datetime.timedelta(days=7)
    ]
    assert figures.week.moves == len(week)
    # Of the 6 ventures that ever reached "startup" or beyond, 5 reached "pilot".
    startup = next(st for st in figures.pipeline.stages if st.code == "startup")
    assert (startup.reached, startup.conversion_to_next) == (6, 83)
    # Each stage: the ventures that were ever in it or a later one, from their history.
    for st in figures.pipeline.stages:
        ever = {
            c.venture_id
            for c in StageChange.objects.filter(venture__programme=programme).select_related(
                "to_stage"
            )
            if c.to_stage.order >= st.order
        }
        assert st.reached == len(ever), st.code


def test_moves_count_in_the_period_and_the_week(programme, seeded):
    period = programme_period(programme)
    now = timezone.now()
    before = programme_figures(programme=programme, period=period)
    venture = Venture.objects.filter(programme=programme, stage__code="idea").first()

    move(venture, "startup", now - datetime.timedelta(days=9))  # in the period only
    move(venture, "pilot", now - datetime.timedelta(days=2))  # and in the week
    after = programme_figures(programme=programme, period=period)

    assert (before.week.moves, after.week.moves) == (0, 1)
    assert after.pipeline.moves == before.pipeline.moves + 2
    pilot = {st.code: st.reached for st in after.pipeline.stages}
    assert pilot["pilot"] == {st.code: st.reached for st in before.pipeline.stages}["pilot"] + 1


def test_development_figures_match_the_rows(programme, seeded):
    period = programme_period(programme)
    today = timezone.localdate()

    d = programme_figures(programme=programme, period=period).development

    items = ChecklistItem.objects.filter(
        checklist__venture__programme=programme, removed_at__isnull=True
    )
    assert d.items_overdue == sum(1 for i in items if i.is_overdue(today)) == 2
    assert (
        d.items_expiring
        == sum(
            1
            for i in items
            if i.status == ItemStatus.ACCEPTED
            and today <= i.expires_on <= today + datetime.timedelta(days=30)
        )
        == 1
    )
    plans = BusinessPlan.objects.filter(venture__programme=programme)
    assert {t.code: t.count for t in d.plans} == {
        s: sum(1 for p in plans if p.status == s)
        for s in ("draft", "submitted", "feedback_given", "approved")
    }
    apps = FundingApplication.objects.filter(venture__programme=programme)
    applied = [a for a in apps if a.submitted_on and period.start <= a.submitted_on <= period.end]
    awarded = [
        a
        for a in apps
        if a.status == "awarded"
        and a.decision_date
        and period.start <= a.decision_date <= period.end
    ]
    assert d.applied_total == sum(a.amount_requested for a in applied) == Decimal("19500.25")
    assert d.awarded_total == sum(a.amount_awarded for a in awarded) == Decimal("4500.50")
    indicators = Indicator.objects.filter(venture__programme=programme)
    assert {x.number: x.indicators for x in d.domains} == {
        n: sum(1 for i in indicators if i.domain.number == n) for n in (2, 3)
    }


def test_commissioning_and_scouting_figures_match_the_rows(programme, seeded):
    period = programme_period(programme)

    figures = programme_figures(programme=programme, period=period)

    intros = [
        i
        for i in Introduction.objects.filter(venture__programme=programme)
        if period.start <= i.made_on <= period.end
    ]
    steps = {t.code: t.count for t in figures.commissioning.steps}
    # Every step of the lifecycle's data appears, in its order.
    assert list(steps) == list(STEP_TRANSITIONS)
    assert steps == {s: sum(1 for i in intros if i.step == s) for s in STEP_TRANSITIONS}
    contracts = [
        c
        for c in Contract.objects.filter(venture__programme=programme)
        if period.start <= c.start_date <= period.end
    ]
    assert figures.commissioning.contract_count == len(contracts) == 2
    assert figures.commissioning.contract_value == sum(c.value for c in contracts)
    meetings = [m for m in Meeting.objects.filter(programme=programme) if _in(m.held_at, period)]
    assert figures.scouting.meetings == len(meetings) == 3
    assert {t.code: t.count for t in figures.scouting.by_type if t.count} == {
        "one_to_one": 1,
        "event": 2,
    }
    assert {t.code: t.count for t in figures.scouting.by_sector if t.count} == {
        "community_group": 2,
        "gp_practice": 1,
    }


def test_each_filter_changes_the_figures(programme, seeded, seir):
    whole = programme_figures(programme=programme, period=programme_period(programme))

    mine = programme_figures(programme=programme, period=programme_period(programme), seir=seir)
    assert {v.name for v in mine.target.ventures} == set(
        expected_achieved(programme, programme_period(programme), seir)
    )
    assert mine.target.achieved == 2 < whole.target.achieved
    assert mine.scouting.meetings == 2

    # A period that ends before any venture reached the target stage.
    early = Period(programme.start_date, programme.start_date + datetime.timedelta(days=70), "x")
    narrowed = programme_figures(programme=programme, period=early)
    assert [v.name for v in narrowed.target.ventures] == ["Birch"]
    assert narrowed.pipeline.moves < whole.pipeline.moves

    quarter = nhs_quarter(timezone.localdate())
    assert programme_figures(programme=programme, period=quarter).target.achieved == len(
        expected_achieved(programme, quarter)
    )


def test_other_programme_rows_never_count(programme, other_programme, seeded):
    figures = programme_figures(programme=other_programme, period=programme_period(other_programme))
    assert [v.name for v in figures.target.ventures] == ["Elsewhere"]
    assert figures.development.items_overdue == 1
    assert figures.commissioning.contract_count == 1


def test_as_dict_is_json_safe(programme, seeded):
    data = programme_figures(programme=programme, period=programme_period(programme)).as_dict()

    again = json.loads(json.dumps(data))
    assert again["target"]["achieved"] == 4
    assert (
        again["target"]["ventures"][0]["reached_on"] == data["target"]["ventures"][0]["reached_on"]
    )
    assert again["development"]["awarded_total"] == "4500.50"
    assert set(again) == {
        "programme_id",
        "programme_name",
        "period_start",
        "period_end",
        "seir_id",
        "computed_at",
        "target",
        "forecast",
        "pipeline",
        "development",
        "commissioning",
        "scouting",
        "week",
    }


def _grow(programme, seir, n):
    for i in range(n):
        venture = add_venture(programme, f"More {i}", added=at(programme.start_date), seir=seir)
        move(venture, "startup", at(programme.start_date + datetime.timedelta(days=3)))
        move(venture, "pilot", at(programme.start_date + datetime.timedelta(days=9)))


def test_query_count_is_fixed_whatever_the_data(programme, seeded, seir):
    period = programme_period(programme)
    reference()  # the stages come from the reference data, read once and kept
    with CaptureQueriesContext(connection) as small:
        programme_figures(programme=programme, period=period, seir=seir)
    _grow(programme, seir, 25)
    with CaptureQueriesContext(connection) as large:
        figures = programme_figures(programme=programme, period=period, seir=seir)
    assert figures.target.achieved == 27
    assert len(small) == len(large) == 5


def test_later_figures_compile_no_sql_and_follow_the_data_and_the_filters(programme, seeded, seir):
    # given the figures worked out once for the whole programme and once for one SEiR
    period = programme_period(programme)
    programme_figures(programme=programme, period=period)
    programme_figures(programme=programme, period=period, seir=seir)
    _grow(programme, seir, 3)
    quarter = nhs_quarter(timezone.localdate())
    # when they are worked out again (new data, another period) with the check of every
    # call off, as in production
    with (
        override_settings(SEIR_PREPARED_CHECK_ALWAYS=False),
        mock.patch.object(SQLCompiler, "as_sql", autospec=True) as as_sql,
    ):
        whole = programme_figures(programme=programme, period=period)
        mine = programme_figures(programme=programme, period=period, seir=seir)
        this_quarter = programme_figures(programme=programme, period=quarter)
    # then Django compiled none of their queries, and each answers for its own values
    assert as_sql.call_count == 0
    assert whole.target.achieved == 4 + 3 and mine.target.achieved == 2 + 3
    assert {v.name for v in mine.target.ventures} == set(expected_achieved(programme, period, seir))
    assert this_quarter.target.achieved == len(expected_achieved(programme, quarter))
    assert this_quarter.period_start == quarter.start


# --- the forecast on a hand-built programme ------------------------------------------


@pytest.fixture
def history_programme():
    """Six ventures each spent exactly 10 days in "idea" and moved on; of the six that
    then left "startup" after exactly 20 days, three went on to "pilot" (inside the
    period) and three went back to "idea" and closed there. So: idea converts 6 of
    (6 moves out + 3 closed in it) = 2/3 with a median of 10 days, startup 3/6 with a
    median of 20 days, and 3 ventures already count."""
    programme = ProgrammeFactory(
        name="Hand-built", start_date=timezone.localdate() - datetime.timedelta(days=100)
    )
    t0 = at(programme.start_date + datetime.timedelta(days=1))
    for i in range(6):
        venture = add_venture(programme, f"History {i}", added=t0)
        move(venture, "startup", t0 + datetime.timedelta(days=10))
        if i < 3:
            move(venture, "pilot", t0 + datetime.timedelta(days=30))
        else:
            move(venture, "idea", t0 + datetime.timedelta(days=30))
            Venture.objects.filter(pk=venture.pk).update(status=VentureStatus.CLOSED)
            recount(venture)
    now = timezone.now()
    # Added straight into startup 5 days ago (no move out of "idea" to count).
    add_venture(programme, "X", added=now - datetime.timedelta(days=5), stage_code="startup")
    add_venture(programme, "Y", added=now - datetime.timedelta(days=2))  # 2 days in idea
    return programme


def test_forecast_on_a_hand_built_programme(history_programme):
    f = programme_figures(
        programme=history_programme, period=programme_period(history_programme)
    ).forecast

    # X: 0.5 (startup's conversion), 15 days needed. Y: 2/3 x 0.5 = 1/3, 8 + 20 days
    # needed. Both fit the period: expected 3 + 0.5 + 0.333 = 3.83; sd = sqrt(0.25 +
    # 0.222) = 0.687, so 3.83 ± 1.347 -> [2.49, 5.18] -> rounded outwards [2, 6] -> kept
    # within what is possible, [3, 5].
    assert (f.expected, f.low, f.high, f.candidates) == (Decimal("3.8"), 3, 5, 2)


def test_forecast_scales_by_the_days_left(history_programme):
    today = timezone.localdate()
    period = Period(history_programme.start_date, today + datetime.timedelta(days=10), "x")

    f = programme_figures(programme=history_programme, period=period).forecast

    # X: 0.5 x 10/15; Y: 1/3 x 10/28 -> 3 + 0.333 + 0.119 = 3.45.
    assert f.expected == Decimal("3.5")


def test_forecast_falls_back_to_all_programmes_with_few_exits(history_programme):
    young = ProgrammeFactory(name="Young", start_date=timezone.localdate())
    add_venture(young, "Newcomer", added=timezone.now())

    figures = programme_figures(programme=young, period=programme_period(young))

    # "Young" has no exits: all programmes' idea (6 of 6 + 3 closed, 10 days) and startup
    # (3/6, 20 days): 2/3 x 1/2.
    assert figures.forecast.expected == Decimal("0.3")
    idea = next(st for st in figures.pipeline.stages if st.code == "idea")
    assert (idea.exits, idea.median_days) == (0, None)
    hand = programme_figures(
        programme=history_programme, period=programme_period(history_programme)
    )
    startup = next(st for st in hand.pipeline.stages if st.code == "startup")
    assert (startup.exits, startup.median_days) == (6, 20)


def test_forecast_leaves_out_a_venture_that_reached_the_target_and_moved_back(history_programme):
    """It counts already (its first entry into the target stage is in the period), so it
    is no candidate, although it is active below the target stage again."""
    now = timezone.now()
    back = add_venture(history_programme, "Back", added=now - datetime.timedelta(days=40))
    move(back, "startup", now - datetime.timedelta(days=30))
    move(back, "pilot", now - datetime.timedelta(days=20))
    move(back, "startup", now - datetime.timedelta(days=10))

    figures = programme_figures(
        programme=history_programme, period=programme_period(history_programme)
    )

    assert (figures.target.achieved, figures.forecast.candidates) == (4, 2)
    assert [v.name for v in figures.target.ventures if v.moved_back] == ["Back"]


def test_the_forecast_of_a_period_already_over_is_what_was_achieved(history_programme):
    """Z has been in "startup" longer than its median (20 days), so it needs no more days:
    it may still move on, but no longer within a period that has ended."""
    now = timezone.now()
    add_venture(
        history_programme, "Z", added=now - datetime.timedelta(days=25), stage_code="startup"
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    period = Period(history_programme.start_date, yesterday, "x")

    figures = programme_figures(programme=history_programme, period=period)

    assert figures.target.achieved == 3
    f = figures.forecast
    assert (f.expected, f.low, f.high) == (Decimal("3.0"), 3, 3)
    assert figures.period_over is True


def test_contracts_recorded_this_week_whatever_their_start_date(programme, seeded):
    """The week strip says what changed since last week: every contract of the
    programme's ventures recorded in the last 7 days, starting within the period or not
    (Gorse's started before it), as its stage moves and new ventures are counted."""
    from commissioning.models import Contract

    figures = programme_figures(programme=programme, period=programme_period(programme))

    recorded = Contract.objects.filter(
        venture__programme=programme, created_at__gte=timezone.now() - datetime.timedelta(days=7)
    )
    assert figures.week.contracts == recorded.count() == 3
