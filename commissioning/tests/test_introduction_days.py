"""``IntroductionDay`` always equals the introductions it counts: after each kind of
write the rows are compared with a count made here, in Python, from the introductions
themselves; and the dashboard's introductions by step read the same from the rows (the
whole programme) as from the introductions (one SEiR's ventures)."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from commissioning import services
from commissioning.models import Introduction, IntroductionDay, Step
from commissioning.tallies import programme_rebuild
from progress.periods import programme_period
from progress.selectors import programme_figures
from ventures.factories import VentureFactory

pytestmark = pytest.mark.django_db


def expected(programme) -> dict:
    counts = Counter(
        (i.made_on, i.step) for i in Introduction.objects.filter(venture__programme=programme)
    )
    return dict(counts)


def stored(programme) -> dict:
    rows = IntroductionDay.objects.filter(programme=programme)
    return {(r.day, r.step): r.introductions for r in rows if r.introductions}


def test_every_kind_of_introduction_write_keeps_the_day_rows_in_step(
    programme, seir, venture, other_venture, contact
):
    today = timezone.localdate()
    week_ago = today - datetime.timedelta(days=7)
    assert stored(programme) == {}

    first = services.introduction_make(
        actor=seir, venture=venture, contact=contact, purpose="Pilot", made_on=week_ago
    )
    second = services.introduction_make(
        actor=seir, venture=other_venture, contact=contact, purpose="Pilot", made_on=week_ago
    )
    assert stored(programme) == expected(programme) == {(week_ago, Step.REQUESTED): 2}

    # A step moved by the service, a date corrected by a save (as the admin does).
    services.referral_move(actor=seir, referral=first, to_step=Step.INTRODUCED, on=today)
    assert stored(programme) == expected(programme)
    assert stored(programme)[(week_ago, Step.INTRODUCED)] == 1
    second.refresh_from_db()
    second.made_on = today
    second.save()
    assert stored(programme) == expected(programme)
    assert stored(programme)[(today, Step.REQUESTED)] == 1

    # A save that changes nothing counted writes no row.
    before = list(IntroductionDay.objects.order_by("pk").values_list("pk", "introductions"))
    second.purpose = "A clearer purpose"
    second.save()
    assert list(IntroductionDay.objects.order_by("pk").values_list("pk", "introductions")) == (
        before
    )

    # Deleted on its own, and with its venture.
    second.delete()
    assert stored(programme) == expected(programme) == {(week_ago, Step.INTRODUCED): 1}
    venture.delete()
    assert stored(programme) == expected(programme) == {}

    # A rebuild from scratch gives the same rows.
    services.introduction_make(
        actor=seir, venture=other_venture, contact=contact, purpose="Again", made_on=today
    )
    kept = stored(programme)
    programme_rebuild(programme.pk)
    assert stored(programme) == kept == expected(programme) == {(today, Step.REQUESTED): 1}


def test_the_dashboard_counts_the_same_from_the_rows_and_from_the_introductions(
    programme, seir, venture, contact
):
    """The whole programme's figure sums the day rows; one SEiR's counts the
    introductions; with every venture that SEiR's, the two agree, step by step."""
    today = timezone.localdate()
    other = VentureFactory(programme=programme, stage_code="idea", name="Second", seir=seir)
    third = VentureFactory(programme=programme, stage_code="idea", name="Third", seir=seir)
    for made_on, v in [(today, venture), (today, other), (programme.start_date, third)]:
        services.introduction_make(
            actor=seir, venture=v, contact=contact, purpose="Pilot", made_on=made_on
        )
    moved = Introduction.objects.filter(venture=venture).get()
    services.referral_move(actor=seir, referral=moved, to_step=Step.INTRODUCED, on=today)
    period = programme_period(programme)

    whole = programme_figures(programme=programme, period=period).commissioning.steps
    narrowed = programme_figures(programme=programme, period=period, seir=seir).commissioning.steps

    counts = {t.code: t.count for t in whole}
    assert counts[Step.REQUESTED] == 2 and counts[Step.INTRODUCED] == 1
    assert [(t.code, t.count) for t in whole] == [(t.code, t.count) for t in narrowed]
