"""A new programme gets the default stages, with their gates and transitions, exactly once."""

import pytest

from accounts.factories import ProgrammeFactory
from ventures import services
from ventures.models import DefaultStage, GateCondition, Stage, StageTransition

pytestmark = pytest.mark.django_db

CODES = ["idea", "startup", "pilot", "growth", "scale"]


def counts(programme):
    return (
        Stage.objects.filter(programme=programme).count(),
        GateCondition.objects.filter(stage__programme=programme).count(),
        StageTransition.objects.filter(from_stage__programme=programme).count(),
    )


def test_programme_creation_installs_the_five_default_stages():
    # when
    programme = ProgrammeFactory()

    # then
    stages = list(Stage.objects.filter(programme=programme).order_by("order"))
    assert [(s.code, s.name, s.order) for s in stages] == [
        ("idea", "Idea", 1),
        ("startup", "Start-up", 2),
        ("pilot", "Pilot / modest project", 3),
        ("growth", "Growth", 4),
        ("scale", "Scalable & sustainable", 5),
    ]
    # idea, startup, pilot, growth, scale: the defaults, plus checklists' condition on
    # start-up, pilot and growth, and commissioning's has_contract on pilot
    assert [s.gate_conditions.count() for s in stages] == [3, 6, 6, 5, 3]
    assert list(GateCondition.objects.filter(stage=stages[0]).values_list("kind", "order")) == [
        ("confirmed", 0),
        ("has_lead", 1),
        ("confirmed", 2),
    ]
    assert list(GateCondition.objects.filter(stage=stages[1]).values_list("kind", flat=True))[
        0
    ] == ("legal_form_incorporated")
    assert all(s.exit_criteria for s in stages)


def test_forward_transitions_need_the_gate_and_backward_ones_do_not():
    programme = ProgrammeFactory()

    transitions = {
        (t.from_stage.code, t.to_stage.code): t.requires_gate
        for t in StageTransition.objects.filter(from_stage__programme=programme).select_related(
            "from_stage", "to_stage"
        )
    }

    assert transitions == {
        ("idea", "startup"): True,
        ("startup", "pilot"): True,
        ("pilot", "growth"): True,
        ("growth", "scale"): True,
        ("startup", "idea"): False,
        ("pilot", "startup"): False,
        ("growth", "pilot"): False,
        ("scale", "growth"): False,
    }


def test_installing_twice_adds_nothing(programme):
    # given
    before = counts(programme)
    first_ids = list(
        Stage.objects.filter(programme=programme).order_by("order").values_list("pk", flat=True)
    )

    # when
    returned = services.programme_install_default_stages(programme=programme)
    services.programme_install_default_stages(programme=programme)

    # then
    assert before == (5, 23, 8)
    assert counts(programme) == before
    assert [s.pk for s in returned] == first_ids


def test_each_programme_gets_its_own_copy(programme, other_programme):
    assert counts(programme) == counts(other_programme) == (5, 23, 8)
    assert not set(Stage.objects.filter(programme=programme).values_list("pk", flat=True)) & set(
        Stage.objects.filter(programme=other_programme).values_list("pk", flat=True)
    )


def test_edited_defaults_apply_to_later_programmes_only(programme):
    # given: an administrator renames a default stage
    DefaultStage.objects.filter(code="pilot").update(name="Pilot")

    # when
    later = ProgrammeFactory()

    # then
    assert later.stages.get(code="pilot").name == "Pilot"
    assert programme.stages.get(code="pilot").name == "Pilot / modest project"
    assert list(later.stages.values_list("code", flat=True)) == CODES
