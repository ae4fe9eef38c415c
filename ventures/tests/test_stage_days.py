"""``StageDay`` (the forecast's candidates by stage and day entered) always equals the
ventures it counts: after each kind of write the rows are compared with a count made
here, in Python, from the ventures themselves."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from accounts.factories import ProgrammeFactory
from progress.periods import programme_period
from progress.selectors import programme_figures
from ventures import stage_days
from ventures.bulk import VentureRow, venture_create_many
from ventures.models import Stage, StageDay, Venture, VentureStatus
from ventures.services import venture_create, venture_move, venture_set_status

pytestmark = pytest.mark.django_db


def expected(programme) -> Counter:
    """Active ventures that have not reached the target stage, by stage code and the
    London day they entered it."""
    rows = Counter()
    for v in Venture.objects.filter(programme=programme).select_related("stage"):
        if v.status == VentureStatus.ACTIVE and v.target_reached_at is None:
            day = timezone.localtime(v.stage_entered_at).date() if v.stage_entered_at else None
            rows[(v.stage.code, day)] += 1
    return rows


def stored(programme) -> Counter:
    rows = StageDay.objects.filter(programme=programme).select_related("stage")
    return Counter({(r.stage.code, r.day): r.ventures for r in rows})


def day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def stage(programme, code: str) -> Stage:
    return Stage.objects.get(programme=programme, code=code)


def move(seir, venture, code: str) -> None:
    venture.refresh_from_db()
    venture_move(
        actor=seir, venture=venture, to_stage=stage(venture.programme, code), override_reason="T"
    )


def test_every_kind_of_venture_write_keeps_the_day_rows_in_step(programme, seir):
    now = timezone.now()
    ten_days_ago = now - datetime.timedelta(days=10)
    three_days_ago = now - datetime.timedelta(days=3)
    a = venture_create(actor=seir, programme=programme, name="Alder", at=ten_days_ago)
    b = venture_create(actor=seir, programme=programme, name="Birch", at=three_days_ago)
    c = venture_create(actor=seir, programme=programme, name="Cedar", at=three_days_ago)
    assert stored(programme) == expected(programme)
    assert stored(programme) == Counter(
        {("idea", day(ten_days_ago)): 1, ("idea", day(three_days_ago)): 2}
    )

    move(seir, a, "startup")  # leaves its old day's row, joins today's in startup
    assert stored(programme) == expected(programme)
    assert stored(programme)[("startup", timezone.localdate())] == 1

    b.refresh_from_db()
    venture_set_status(actor=seir, venture=b, to_status=VentureStatus.PAUSED, reason="Hold")
    assert stored(programme) == expected(programme)
    b.refresh_from_db()
    venture_set_status(actor=seir, venture=b, to_status=VentureStatus.ACTIVE)
    assert stored(programme) == expected(programme)

    # Into the target stage: it counts already, so it is no candidate, and stays none
    # when it moves back.
    move(seir, a, "pilot")
    assert stored(programme) == expected(programme)
    assert ("pilot", timezone.localdate()) not in stored(programme)
    move(seir, a, "startup")
    assert stored(programme) == expected(programme)
    assert ("startup", timezone.localdate()) not in stored(programme)

    # Closed, then gone.
    c.refresh_from_db()
    venture_set_status(actor=seir, venture=c, to_status=VentureStatus.CLOSED, reason="Ended")
    assert stored(programme) == expected(programme)
    venture_set_status(actor=seir, venture=b, to_status=VentureStatus.CLOSED, reason="Ended")
    b.refresh_from_db()
    venture_set_status(actor=seir, venture=b, to_status=VentureStatus.ACTIVE)
    d = venture_create(actor=seir, programme=programme, name="Damson", at=three_days_ago)
    d.delete()
    assert stored(programme) == expected(programme)

    # Moved to another programme (the admin can): out of one programme's rows, into the
    # other's.
    other = ProgrammeFactory(name="Other")
    b.refresh_from_db()
    b.programme, b.stage = other, stage(other, "idea")
    b.save()
    assert stored(programme) == expected(programme)
    assert stored(other) == expected(other) == Counter({("idea", day(b.stage_entered_at)): 1})

    # A bulk import: every row at once.
    rows = [
        VentureRow(name=f"Bulk {i}", stage=stage(programme, code), entered_at=now - delta)
        for i, (code, delta) in enumerate(
            [("idea", datetime.timedelta(days=40))] * 3
            + [("startup", datetime.timedelta(days=5)), ("pilot", datetime.timedelta(days=1))]
        )
    ]
    venture_create_many(actor=seir, programme=programme, rows=rows)
    assert stored(programme) == expected(programme)
    assert stored(programme)[("idea", day(now - datetime.timedelta(days=40)))] == 3
    assert not StageDay.objects.filter(ventures=0).exists()

    # The forecast's candidates are these rows: those below the target stage.
    figures = programme_figures(programme=programme, period=programme_period(programme))
    below_target = {"idea", "startup"}
    assert figures.forecast.candidates == sum(
        n for (code, _), n in expected(programme).items() if code in below_target
    )


def test_a_save_that_changes_nothing_counted_writes_no_row(programme, seir):
    venture = venture_create(actor=seir, programme=programme, name="Elm")
    before = list(StageDay.objects.order_by("pk").values_list("pk", "ventures"))

    venture.refresh_from_db()
    venture.summary = "A new summary"
    venture.save()

    assert list(StageDay.objects.order_by("pk").values_list("pk", "ventures")) == before


def test_a_rebuild_from_scratch_makes_the_rows_the_writes_kept(programme, seir):
    for name, days in (("Fir", 1), ("Gorse", 1), ("Hazel", 30)):
        venture_create(
            actor=seir,
            programme=programme,
            name=name,
            at=timezone.now() - datetime.timedelta(days=days),
        )
    kept = stored(programme)
    StageDay.objects.all().delete()

    stage_days.programme_rebuild(programme.pk)

    assert stored(programme) == kept == expected(programme)
    assert sum(kept.values()) == 3
