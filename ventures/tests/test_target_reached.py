"""``Venture.target_reached_at`` is always its first entry into the programme's target
stage or a later one, and ``Venture.furthest_stage_order`` the highest order of the stages
it has been in: compared after each kind of write with the answers worked out here from
the stage history."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import Programme
from ventures.bulk import VentureRow, venture_create_many
from ventures.models import Stage, StageChange, Venture
from ventures.services import venture_move
from ventures.targets import target_reached_refresh

pytestmark = pytest.mark.django_db


def first_reached(venture: Venture):
    """Worked out by hand: the earliest change into a stage at or after the target."""
    programme = Programme.objects.get(pk=venture.programme_id)
    target = Stage.objects.get(programme=programme, code=programme.target_stage_code)
    times = [
        c.changed_at
        for c in StageChange.objects.filter(venture=venture).select_related("to_stage")
        if c.to_stage.order >= target.order
    ]
    return min(times) if times else None


def stored(venture: Venture):
    return Venture.objects.values_list("target_reached_at", flat=True).get(pk=venture.pk)


def furthest(venture: Venture):
    """Worked out by hand: the highest order among the stages it moved into."""
    changes = StageChange.objects.filter(venture=venture).select_related("to_stage")
    return max((c.to_stage.order for c in changes), default=None)


def stored_furthest(venture: Venture):
    return Venture.objects.values_list("furthest_stage_order", flat=True).get(pk=venture.pk)


def stage(programme, code):
    return Stage.objects.get(programme=programme, code=code)


def move(seir, venture, code, at):
    venture.refresh_from_db()
    return venture_move(
        actor=seir,
        venture=venture,
        to_stage=stage(venture.programme, code),
        override_reason="Checked by hand",
        at=at,
    )


def test_moves_back_and_forth_keep_the_first_entry(programme, seir, venture):
    start = timezone.now() - datetime.timedelta(days=30)
    assert programme.target_stage_code == "pilot"
    assert stored(venture) is None
    assert stored_furthest(venture) == furthest(venture) == stage(programme, "idea").order

    move(seir, venture, "startup", start)
    assert stored(venture) is None
    assert stored_furthest(venture) == furthest(venture) == stage(programme, "startup").order
    move(seir, venture, "pilot", start + datetime.timedelta(days=1))  # the target
    assert stored(venture) == first_reached(venture) == start + datetime.timedelta(days=1)
    move(seir, venture, "growth", start + datetime.timedelta(days=2))  # past it
    move(seir, venture, "pilot", start + datetime.timedelta(days=3))  # moved back
    move(seir, venture, "startup", start + datetime.timedelta(days=3, hours=1))
    assert stored_furthest(venture) == furthest(venture) == stage(programme, "growth").order
    move(seir, venture, "pilot", start + datetime.timedelta(days=4))  # reached again
    assert stored(venture) == first_reached(venture) == start + datetime.timedelta(days=1)
    assert stored_furthest(venture) == stage(programme, "growth").order


def test_a_new_target_stage_or_stage_order_recomputes_the_programme(programme, seir, venture):
    start = timezone.now() - datetime.timedelta(days=30)
    move(seir, venture, "startup", start)
    move(seir, venture, "pilot", start + datetime.timedelta(days=1))
    assert stored(venture) == start + datetime.timedelta(days=1)

    programme.target_stage_code = "startup"
    programme.save()
    assert stored(venture) == first_reached(venture) == start

    growth = stage(programme, "growth")
    programme.target_stage_code = "growth"
    programme.save(update_fields=["target_stage_code"])
    assert stored(venture) is None

    # Growth moved first in the order: every stage now lies at or after it.
    growth.order = 0
    growth.save()
    assert stored(venture) == first_reached(venture)
    assert stored(venture) == StageChange.objects.filter(venture=venture).earliest().changed_at
    # Pilot, where it went furthest, is now the last stage of those it was in.
    assert stored_furthest(venture) == furthest(venture) == stage(programme, "pilot").order


def test_the_bulk_import_sets_it_for_ventures_entering_at_or_past_the_target(programme, seir):
    at = timezone.now() - datetime.timedelta(days=5)
    made = venture_create_many(
        actor=seir,
        programme=programme,
        rows=[
            VentureRow(name="Early", stage=stage(programme, "idea"), seir=seir, entered_at=at),
            VentureRow(name="Later", stage=stage(programme, "growth"), seir=seir, entered_at=at),
        ],
    )
    assert {v.name: stored(v) for v in made} == {"Early": None, "Later": at}
    assert all(stored(v) == first_reached(v) for v in made)
    assert {v.name: stored_furthest(v) for v in made} == {
        "Early": stage(programme, "idea").order,
        "Later": stage(programme, "growth").order,
    }


def test_a_refresh_writes_only_the_ventures_whose_values_change(programme, seir):
    at = timezone.now() - datetime.timedelta(days=5)
    made = venture_create_many(
        actor=seir,
        programme=programme,
        rows=[
            VentureRow(name=f"V{n}", stage=stage(programme, code), seir=seir, entered_at=at)
            for n, code in enumerate(["idea", "idea", "growth", "pilot"])
        ],
    )
    # the import wrote each row with its values: recomputing them changes none
    assert target_reached_refresh(programme_id=programme.pk) == 0
    # one venture moved (the move's own recompute ran): the programme's has nothing left
    move(seir, made[0], "startup", timezone.now())
    assert target_reached_refresh(programme_id=programme.pk) == 0
    # a stored value gone wrong (another client's write) is the one row rewritten
    Venture.objects.filter(pk=made[1].pk).update(furthest_stage_order=None)
    assert target_reached_refresh(programme_id=programme.pk, venture_ids=[made[1].pk]) == 1
    assert stored_furthest(made[1]) == furthest(made[1])
    # a new target stage: exactly the ventures whose first entry changes (idea, startup
    # now count; growth's and pilot's dates stay)
    Programme.objects.filter(pk=programme.pk).update(target_stage_code="idea")
    assert target_reached_refresh(programme_id=programme.pk) == 2
    assert all(stored(v) == first_reached(v) for v in made)


def test_the_movers_copy_of_the_venture_is_kept_true(programme, seir, venture):
    """A stage move updates the columns through a signal: the venture the move saved
    carries the new values too, so a later save of it does not write old ones back."""
    change = venture_move(
        actor=seir,
        venture=venture,
        to_stage=stage(programme, "startup"),
        override_reason="Checked by hand",
        at=timezone.now(),
    )

    assert change.venture.furthest_stage_order == stage(programme, "startup").order
    change.venture.save()
    assert stored_furthest(venture) == stage(programme, "startup").order


def test_a_stage_given_the_target_stages_code_recomputes_the_programme(programme, seir, venture):
    """An administrator renames the target stage's code (the target then names no stage),
    a venture moves into it meanwhile, and the code is put back: it counts again."""
    pilot = stage(programme, "pilot")
    pilot.code = "pilot-project"
    pilot.save()
    move(seir, venture, "startup", timezone.now() - datetime.timedelta(days=3))
    move(seir, venture, "pilot-project", timezone.now() - datetime.timedelta(days=2))
    assert stored(venture) is None  # the programme's target names no stage now

    pilot.code = "pilot"
    pilot.save()

    assert stored(venture) == first_reached(venture) is not None
