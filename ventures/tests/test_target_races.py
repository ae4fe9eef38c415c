"""A venture's target columns (``ventures.targets``) while a stage move or a new venture
and a programme-wide recompute (a stage's order or the programme's target stage changed)
run at once (PostgreSQL, two connections): afterwards each venture's
``target_reached_at`` and ``furthest_stage_order`` equal a recompute from scratch, and
neither writer gets an error.

Without ``seir.locks.hold("ventures.targets", ...)`` the programme-wide recompute, queued
behind the move's row lock, wrote figures counted from a snapshot without the move (the
venture missing from the target until it moved again), and a venture added while the
target stage moved kept figures counted against the old order. The recompute locks the
ventures' rows before the programme's advisory lock, the order a stage move takes them
in, so the two never wait on each other in a circle (a deadlock: an error page); for the
same reason a new target stage locks the programme's row FOR NO KEY UPDATE, which lets
the move record its event (a row pointing at the programme) meanwhile.
"""

from __future__ import annotations

import threading
import time
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from invitations.services import programme_settings_update
from tests.concurrency import TWO_CONNECTIONS, in_transaction, race
from ventures import services
from ventures.models import Stage, Venture
from ventures.targets import target_reached_refresh

pytestmark = TWO_CONNECTIONS

COLUMNS = ("name", "target_reached_at", "furthest_stage_order")


def columns(programme) -> list[tuple]:
    return list(Venture.objects.filter(programme=programme).order_by("name").values_list(*COLUMNS))


def recomputed(programme) -> list[tuple]:
    """The columns as a recompute from scratch makes them (rolled back)."""
    with transaction.atomic():
        target_reached_refresh(programme_id=programme.pk)
        expected = columns(programme)
        transaction.set_rollback(True)
    return expected


def stage(programme, code) -> Stage:
    return Stage.objects.get(programme=programme, code=code)


def reorder(programme, code, order):
    """What the admin's stage form does: save the stage with a new order."""

    def save():
        changed = stage(programme, code)
        changed.order = order
        changed.save()

    return save


def move_to_pilot(seir, venture, at):
    return lambda: services.venture_move(
        actor=seir,
        venture=venture,
        to_stage=stage(venture.programme, "pilot"),
        override_reason="Checked by hand",
        at=at,
    )


def test_a_move_into_the_target_while_a_stage_is_reordered_counts(programme, seir, venture):
    services.venture_move(
        actor=seir, venture=venture, to_stage=stage(programme, "startup"), override_reason="x"
    )
    at = timezone.now()

    assert race(move_to_pilot(seir, venture, at), reorder(programme, "scale", 9)) == []

    assert columns(programme) == [(venture.name, at, 3)]
    assert columns(programme) == recomputed(programme)


def test_a_venture_added_while_the_target_stage_moves_counts_against_its_new_place(programme, seir):
    def add():
        services.venture_create(
            actor=seir,
            programme=programme,
            name="Ladywood Larder",
            stage=stage(programme, "growth"),
        )

    # pilot (the target) moves after growth: a venture added in growth has not reached it
    assert race(reorder(programme, "pilot", 9), add) == []

    assert columns(programme) == [("Ladywood Larder", None, 4)]
    assert columns(programme) == recomputed(programme)


def interleaved(move, recompute) -> list[BaseException]:
    """The move locks its venture and pauses; meanwhile ``recompute`` starts on another
    connection and waits where it waits; then the move goes on. Returns what either
    raised (a deadlock, when the two take their locks in opposite orders)."""
    locked, go = threading.Event(), threading.Event()
    raised: list[BaseException] = []
    movable = services.lifecycle.venture_is_movable

    def pause(venture):
        locked.set()
        go.wait(10)
        return movable(venture)

    with mock.patch.object(services.lifecycle, "venture_is_movable", pause):
        mover = threading.Thread(target=in_transaction, args=(move, raised))
        mover.start()
        assert locked.wait(10)
        other = threading.Thread(target=in_transaction, args=(recompute, raised))
        other.start()
        time.sleep(0.5)  # the recompute reaches the venture's row lock
        go.set()
        mover.join(30)
        other.join(30)
    assert not mover.is_alive() and not other.is_alive()
    return raised


@pytest.mark.parametrize("change", ["stage order", "target stage"])
def test_a_recompute_that_starts_during_a_move_waits_for_it_without_a_deadlock(
    programme, seir, administrator, venture, change
):
    services.venture_move(
        actor=seir, venture=venture, to_stage=stage(programme, "startup"), override_reason="x"
    )
    at = timezone.now()
    if change == "stage order":
        recompute, expected = reorder(programme, "scale", 9), (venture.name, at, 3)
    else:

        def recompute():
            programme_settings_update(
                actor=administrator, programme=programme, changes={"target_stage_code": "growth"}
            )

        expected = (venture.name, None, 3)

    assert interleaved(move_to_pilot(seir, venture, at), recompute) == []

    assert columns(programme) == [expected]
    assert columns(programme) == recomputed(programme)


@pytest.mark.parametrize("move_first", [True, False])
def test_reordering_the_very_stage_a_venture_moves_into_finishes_both(
    programme, seir, venture, move_first
):
    """An administrator saves the order of the stage a venture is being moved into, at
    that moment: both finish, either one first, and the figures equal a recompute."""
    services.venture_move(
        actor=seir, venture=venture, to_stage=stage(programme, "startup"), override_reason="x"
    )
    pilot = stage(programme, "pilot")
    move = move_to_pilot(seir, venture, timezone.now())
    save = reorder(programme, "pilot", pilot.order + 100)
    first, second = (move, save) if move_first else (save, move)
    assert race(first, second) == []
    assert Venture.objects.get(pk=venture.pk).stage_id == pilot.pk
    assert columns(programme) == recomputed(programme)
