"""Stage moves through services.venture_move: transitions, gates, overrides, refusals."""

import pytest
from django.core.exceptions import PermissionDenied

from ventures import services
from ventures.factories import VentureFactory
from ventures.models import GateCondition, StageChange, VentureStatus

pytestmark = pytest.mark.django_db

IDEA_GATE = [
    "Need evidenced (local data or a needs assessment)",
    "Founder or team named",
    "A plausible NHS or council buyer named",
]
STARTUP_GATE = [
    "Legal form chosen and incorporated",
    "Governance in place",
    "Outline business plan",
    "First funding sought",
    "Pilot discussed with a commissioner",
]


def confirm_all(actor, venture, stage):
    """Confirm every hand-confirmable condition of ``stage``'s gate for ``venture``."""
    for condition in GateCondition.objects.filter(stage=stage, kind="confirmed"):
        services.gate_condition_confirm(
            actor=actor,
            venture=venture,
            condition=condition,
            evidence="Seen at the review meeting.",
        )


def test_move_with_gate_met_records_one_stage_change(venture, seir, stages, snapshot):
    # given: both confirmable idea conditions confirmed and a lead named (has_lead)
    confirm_all(seir, venture, stages["idea"])
    before = StageChange.objects.filter(venture=venture).count()

    # when
    change = services.venture_move(
        actor=seir,
        venture=venture,
        to_stage=stages["startup"],
        note="  Ready for start-up.  ",
        expected_stage=stages["idea"],
    )

    # then
    venture.refresh_from_db()
    assert venture.stage == stages["startup"]
    assert StageChange.objects.filter(venture=venture).count() == before + 1
    change.refresh_from_db()
    assert change.venture_id == venture.pk
    assert change.from_stage == stages["idea"]
    assert change.to_stage == stages["startup"]
    assert change.changed_by == seir
    assert change.note == "Ready for start-up."
    assert change.override_reason == ""
    assert change.unmet_conditions == []
    assert change.was_overridden is False
    assert venture.version == 1  # a move is not a profile edit


def test_move_refused_when_gate_unmet_lists_unmet_labels_and_writes_nothing(
    venture, seir, stages, snapshot
):
    # given: one of the two confirmable conditions confirmed; lead named
    services.gate_condition_confirm(
        actor=seir,
        venture=venture,
        condition=GateCondition.objects.get(stage=stages["idea"], label=IDEA_GATE[0]),
        evidence="Needs assessment, March.",
    )
    before = snapshot(venture)

    # when
    with pytest.raises(services.MoveRefused) as refused:
        services.venture_move(actor=seir, venture=venture, to_stage=stages["startup"])

    # then
    assert refused.value.unmet == ["A plausible NHS or council buyer named"]
    assert refused.value.can_override is True
    assert refused.value.message == (
        "The gate to leave Idea is not met: A plausible NHS or council buyer named."
    )
    assert snapshot(venture) == before


def test_move_refused_lists_every_unmet_condition_in_gate_order(programme, seir, stages, snapshot):
    # given: a venture with no lead and nothing confirmed
    venture = VentureFactory(programme=programme, stage_code="idea", seir=seir, lead=None)
    before = snapshot(venture)

    # when
    with pytest.raises(services.MoveRefused) as refused:
        services.venture_move(actor=seir, venture=venture, to_stage=stages["startup"])

    # then
    assert refused.value.unmet == IDEA_GATE
    assert (
        refused.value.message == "The gate to leave Idea is not met: " + "; ".join(IDEA_GATE) + "."
    )
    assert snapshot(venture) == before


def test_has_lead_condition_unmet_without_a_lead(programme, seir, stages, snapshot):
    # given: everything confirmable confirmed, but no lead entrepreneur
    venture = VentureFactory(programme=programme, stage_code="idea", seir=seir, lead=None)
    confirm_all(seir, venture, stages["idea"])
    before = snapshot(venture)

    # when
    with pytest.raises(services.MoveRefused) as refused:
        services.venture_move(actor=seir, venture=venture, to_stage=stages["startup"])

    # then
    assert refused.value.unmet == ["Founder or team named"]
    assert snapshot(venture) == before


@pytest.mark.parametrize(
    ("legal_code", "unmet"),
    [
        (None, ["Legal form chosen and incorporated"]),
        ("not-incorporated", ["Legal form chosen and incorporated"]),
        ("cic", []),
    ],
)
def test_legal_form_incorporated_condition(
    programme, seir, stages, legal_forms, snapshot, legal_code, unmet
):
    # given: a start-up venture with every confirmable condition confirmed
    venture = VentureFactory(
        programme=programme,
        stage_code="startup",
        seir=seir,
        legal_form=legal_forms[legal_code] if legal_code else None,
    )
    confirm_all(seir, venture, stages["startup"])
    # Conditions of other apps' kinds (business plan approved...) are tested by those apps.
    GateCondition.objects.filter(stage=stages["startup"]).exclude(
        kind__in=["confirmed", "field_filled", "has_lead", "legal_form_incorporated"]
    ).delete()
    before = snapshot(venture)

    # when / then
    if unmet:
        with pytest.raises(services.MoveRefused) as refused:
            services.venture_move(actor=seir, venture=venture, to_stage=stages["pilot"])
        assert refused.value.unmet == unmet
        assert snapshot(venture) == before
    else:
        change = services.venture_move(actor=seir, venture=venture, to_stage=stages["pilot"])
        assert (change.from_stage, change.to_stage, change.unmet_conditions) == (
            stages["startup"],
            stages["pilot"],
            [],
        )
        venture.refresh_from_db()
        assert venture.stage == stages["pilot"]


@pytest.mark.parametrize(
    ("beneficiaries", "met"),
    [("", False), ("   \n", False), ("Women in Balsall Heath", True)],
)
def test_field_filled_condition(venture, seir, stages, snapshot, beneficiaries, met):
    # given: the idea gate also asks for beneficiaries; everything else holds
    GateCondition.objects.create(
        stage=stages["idea"],
        kind="field_filled",
        label="Beneficiaries described",
        params={"field": "beneficiaries"},
        order=10,
    )
    confirm_all(seir, venture, stages["idea"])
    venture.beneficiaries = beneficiaries
    venture.save(update_fields=["beneficiaries"])
    before = snapshot(venture)

    # when / then
    if met:
        change = services.venture_move(actor=seir, venture=venture, to_stage=stages["startup"])
        assert change.unmet_conditions == []
    else:
        with pytest.raises(services.MoveRefused) as refused:
            services.venture_move(actor=seir, venture=venture, to_stage=stages["startup"])
        assert refused.value.unmet == ["Beneficiaries described"]
        assert snapshot(venture) == before


@pytest.mark.parametrize("reason", ["", "   ", "\n\t "])
def test_override_needs_a_non_blank_reason(programme, seir, stages, snapshot, reason):
    # given: nothing in the gate holds
    venture = VentureFactory(programme=programme, stage_code="idea", seir=seir, lead=None)
    before = snapshot(venture)

    # when
    with pytest.raises(services.MoveRefused) as refused:
        services.venture_move(
            actor=seir, venture=venture, to_stage=stages["startup"], override_reason=reason
        )

    # then
    assert refused.value.unmet == IDEA_GATE
    assert snapshot(venture) == before


def test_override_with_reason_records_reason_and_unmet_conditions(programme, seir, stages):
    # given: nothing in the gate holds
    venture = VentureFactory(programme=programme, stage_code="idea", seir=seir, lead=None)

    # when
    change = services.venture_move(
        actor=seir,
        venture=venture,
        to_stage=stages["startup"],
        note="Fast-tracked.",
        override_reason="  Commissioner asked us to start early.  ",
    )

    # then
    change.refresh_from_db()
    assert change.override_reason == "Commissioner asked us to start early."
    assert change.unmet_conditions == IDEA_GATE
    assert change.note == "Fast-tracked."
    assert change.was_overridden is True
    venture.refresh_from_db()
    assert venture.stage == stages["startup"]
    assert StageChange.objects.filter(venture=venture).count() == 2


def test_override_reason_dropped_when_gate_was_met(venture, seir, stages):
    # given: the gate holds, so nothing is being overridden
    confirm_all(seir, venture, stages["idea"])

    # when
    change = services.venture_move(
        actor=seir, venture=venture, to_stage=stages["startup"], override_reason="Just in case."
    )

    # then
    assert change.override_reason == ""
    assert change.unmet_conditions == []


def test_skipping_a_stage_is_refused(venture, seir, stages, snapshot):
    # given: the idea gate holds (so only the transition table can refuse)
    confirm_all(seir, venture, stages["idea"])
    before = snapshot(venture)

    # when
    with pytest.raises(services.MoveRefused) as refused:
        services.venture_move(
            actor=seir, venture=venture, to_stage=stages["pilot"], override_reason="Skip it."
        )

    # then
    assert (
        refused.value.message
        == "Ventures cannot move from Idea straight to Pilot / modest project."
    )
    assert refused.value.can_override is False
    assert snapshot(venture) == before


def test_move_to_the_current_stage_is_refused(venture, seir, stages, snapshot):
    before = snapshot(venture)

    with pytest.raises(services.MoveRefused) as refused:
        services.venture_move(actor=seir, venture=venture, to_stage=stages["idea"])

    assert refused.value.message == "Saheli Women's Centre is already in Idea."
    assert snapshot(venture) == before


def test_move_to_another_programmes_stage_is_refused(venture, seir, other_programme, snapshot):
    # given: the other programme's start-up stage (same code, different programme)
    foreign = other_programme.stages.get(code="startup")
    before = snapshot(venture)

    # when
    with pytest.raises(services.MoveRefused) as refused:
        services.venture_move(
            actor=seir, venture=venture, to_stage=foreign, override_reason="Because."
        )

    # then
    assert refused.value.message == "Ventures cannot move from Idea straight to Start-up."
    assert snapshot(venture) == before


def test_backwards_move_needs_no_gate(programme, seir, stages):
    # given: a start-up venture whose start-up gate is entirely unmet
    venture = VentureFactory(programme=programme, stage_code="startup", seir=seir, lead=None)

    # when
    change = services.venture_move(
        actor=seir, venture=venture, to_stage=stages["idea"], note="Back to basics."
    )

    # then
    assert (change.from_stage, change.to_stage) == (stages["startup"], stages["idea"])
    assert change.override_reason == ""
    assert change.unmet_conditions == []
    assert change.changed_by == seir
    venture.refresh_from_db()
    assert venture.stage == stages["idea"]


@pytest.mark.parametrize(
    ("status", "label"), [(VentureStatus.PAUSED, "paused"), (VentureStatus.CLOSED, "closed")]
)
def test_paused_or_closed_venture_cannot_move(venture, seir, stages, snapshot, status, label):
    # given: the gate holds, but the venture is not active
    confirm_all(seir, venture, stages["idea"])
    type(venture).objects.filter(pk=venture.pk).update(status=status, status_reason="On hold.")
    before = snapshot(venture)

    # when
    with pytest.raises(services.MoveRefused) as refused:
        services.venture_move(actor=seir, venture=venture, to_stage=stages["startup"])

    # then
    assert (
        refused.value.message
        == f"Saheli Women's Centre is {label}. Reactivate it before moving it."
    )
    assert snapshot(venture) == before


def test_expected_stage_mismatch_is_refused(venture, seir, stages, snapshot):
    # given: the page was loaded when the venture was (supposedly) in start-up
    confirm_all(seir, venture, stages["idea"])
    before = snapshot(venture)

    # when
    with pytest.raises(services.MoveRefused) as refused:
        services.venture_move(
            actor=seir, venture=venture, to_stage=stages["pilot"], expected_stage=stages["startup"]
        )

    # then
    assert refused.value.message == (
        "Saheli Women's Centre has moved to Idea since you loaded the page. Reload and try again."
    )
    assert snapshot(venture) == before


def test_stale_venture_object_uses_the_database_stage(venture, seir, stages):
    # given: two people hold the same venture object; one moves it on
    confirm_all(seir, venture, stages["idea"])
    stale = type(venture).objects.get(pk=venture.pk)
    services.venture_move(actor=seir, venture=venture, to_stage=stages["startup"])

    # when: the other tries the same move with their stale object
    with pytest.raises(services.MoveRefused) as refused:
        services.venture_move(actor=seir, venture=stale, to_stage=stages["startup"])

    # then
    assert refused.value.message == "Saheli Women's Centre is already in Start-up."
    assert StageChange.objects.filter(venture=venture).count() == 2


@pytest.mark.parametrize(
    "actor_name", ["entrepreneur", "manager", "commissioner", "other_seir", "other_entrepreneur"]
)
def test_non_staff_actor_cannot_move(request, venture, seir, stages, snapshot, actor_name):
    # given: the gate holds, so only permission can refuse
    confirm_all(seir, venture, stages["idea"])
    actor = request.getfixturevalue(actor_name)
    before = snapshot(venture)

    # when
    with pytest.raises(PermissionDenied):
        services.venture_move(
            actor=actor, venture=venture, to_stage=stages["startup"], override_reason="x"
        )

    # then
    assert snapshot(venture) == before


def test_administrator_of_any_programme_can_move(venture, seir, stages, other_programme):
    # given: an administrator who is a member only of the other programme
    from accounts.factories import member
    from accounts.roles import Role

    admin = member(other_programme, Role.ADMINISTRATOR, username="roaming-admin")
    confirm_all(seir, venture, stages["idea"])

    # when
    change = services.venture_move(actor=admin, venture=venture, to_stage=stages["startup"])

    # then
    assert change.changed_by == admin
    venture.refresh_from_db()
    assert venture.stage == stages["startup"]
