"""``seir.transitions``: one shape for every status machine and the one check that
enforces it. The app tables are checked for their content in their own apps' tests."""

from dataclasses import dataclass

import pytest
from django.db import models

from checklists.services import ChecklistError
from checklists.status import TRANSITIONS as CHECKLIST_TRANSITIONS
from commissioning.models import CONTRACT_TRANSITIONS, STEP_TRANSITIONS
from funding.models import APPLICATION_TRANSITIONS
from plans.models import PLAN_TRANSITIONS
from scouting.models import IDEA_TRANSITIONS
from seir.refusals import Refused
from seir.transitions import Move, Transitions
from ventures.models import STATUS_TRANSITIONS


class Door(models.TextChoices):
    OPEN = "open", "Open"
    AJAR = "ajar", "Left ajar"
    SHUT = "shut", "Shut"
    LOCKED = "locked", "Locked"


class DoorRefused(Refused):
    pass


@dataclass(frozen=True)
class KeyedMove(Move):
    key: str = ""


DOOR = Transitions(
    {
        Door.OPEN: (Door.SHUT, Move(Door.AJAR, by="cat")),
        Door.AJAR: (Door.OPEN, Door.SHUT),
        Door.SHUT: (KeyedMove(Door.LOCKED, by="keeper", key="brass"), Door.OPEN),
        Door.LOCKED: (),
    },
    labels=Door,
)


def test_allowed_answers_from_the_table():
    assert DOOR.allowed("open", "shut") is True
    assert DOOR.allowed("shut", "locked") is True
    assert DOOR.allowed("open", "locked") is False
    assert DOOR.allowed("locked", "open") is False
    assert DOOR.allowed("open", "open") is False


def test_targets_keep_the_order_written_not_sorted():
    assert DOOR.targets("open") == ("shut", "ajar")
    assert DOOR.targets("shut") == ("locked", "open")
    assert DOOR.targets("locked") == ()


def test_reads_as_the_mapping_it_was_written_as():
    assert list(DOOR) == ["open", "ajar", "shut", "locked"]
    assert DOOR["ajar"] == ("open", "shut")
    assert DOOR == {
        "open": ("shut", "ajar"),
        "ajar": ("open", "shut"),
        "shut": ("locked", "open"),
        "locked": (),
    }
    assert len(DOOR) == 4
    assert "locked" in DOOR
    assert DOOR.get("painted") is None


def test_require_returns_the_move_with_its_data():
    move = DOOR.require("shut", "locked")
    assert move == KeyedMove("locked", by="keeper", key="brass")
    assert DOOR.require("open", "shut") == Move("shut")


def test_require_refuses_with_the_default_message_naming_both_labels():
    with pytest.raises(Refused) as refused:
        DOOR.require("open", "locked")
    assert type(refused.value) is Refused
    assert refused.value.message == "It cannot go from “Open” to “Locked”."


def test_require_raises_the_apps_refusal_with_its_message():
    with pytest.raises(DoorRefused) as refused:
        DOOR.require(
            "locked",
            "ajar",
            refusal=DoorRefused,
            message="A {current_lower} door cannot be {target_lower} ({current} → {target}).",
        )
    assert refused.value.message == "A locked door cannot be left ajar (Locked → Left ajar)."


def test_an_unknown_status_has_no_moves_and_is_refused_by_name():
    assert DOOR.targets("painted") == ()
    assert DOOR.moves("painted") == ()
    assert DOOR.move("painted", "open") is None
    assert DOOR.allowed("painted", "open") is False
    assert DOOR.allowed("open", "painted") is False
    with pytest.raises(Refused) as refused:
        DOOR.require("open", "painted")
    assert refused.value.message == "It cannot go from “Open” to “that status”."
    with pytest.raises(Refused) as refused:
        DOOR.require("painted", "open")
    assert refused.value.message == "It cannot go from “that status” to “Open”."


def test_per_move_tags_filter_moves_targets_and_pairs():
    assert DOOR.moves("open", by="cat") == (Move("ajar", by="cat"),)
    assert DOOR.targets("open", by="cat") == ("ajar",)
    assert DOOR.targets("open", by="") == ("shut",)
    assert DOOR.allowed("open", "shut", by="cat") is False
    assert DOOR.targets("shut", key="brass") == ("locked",)
    assert DOOR.pairs(by="cat") == frozenset({("open", "ajar")})
    assert DOOR.pairs() == frozenset(
        {
            ("open", "shut"),
            ("open", "ajar"),
            ("ajar", "open"),
            ("ajar", "shut"),
            ("shut", "locked"),
            ("shut", "open"),
        }
    )


def test_filtering_on_an_attribute_no_move_has_is_an_error():
    with pytest.raises(TypeError, match="no move in this table has"):
        DOOR.targets("open", colour="red")


def test_a_table_is_frozen():
    with pytest.raises(AttributeError):
        DOOR._rows = {}
    with pytest.raises(TypeError):
        DOOR["open"] = ()
    with pytest.raises(AttributeError):
        DOOR.move("open", "shut").to = "locked"


def test_a_target_listed_twice_is_refused_when_the_table_is_built():
    with pytest.raises(ValueError, match="lists a move twice"):
        Transitions({"a": ("b", Move("b", by="x")), "b": ()})


def test_a_target_without_a_row_is_refused_when_the_table_is_built():
    with pytest.raises(ValueError, match="has no row"):
        Transitions({"a": ("b",)})


@pytest.mark.parametrize(
    "table",
    [
        PLAN_TRANSITIONS,
        CHECKLIST_TRANSITIONS,
        IDEA_TRANSITIONS,
        STATUS_TRANSITIONS,
        APPLICATION_TRANSITIONS,
        STEP_TRANSITIONS,
        CONTRACT_TRANSITIONS,
    ],
)
def test_every_status_machine_is_one_of_these(table):
    assert isinstance(table, Transitions)
    assert all(table.label(status) != "that status" for status in table)


def test_an_apps_table_refuses_in_its_own_words():
    with pytest.raises(ChecklistError) as refused:
        CHECKLIST_TRANSITIONS.require(
            "not_applicable",
            "accepted",
            refusal=ChecklistError,
            message="An item that is {current_lower} cannot become {target_lower}.",
        )
    assert refused.value.message == "An item that is not applicable cannot become accepted."
