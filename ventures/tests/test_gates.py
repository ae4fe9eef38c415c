"""The gate-kind registry, unknown kinds, and confirming conditions by hand."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ventures import gates, services
from ventures.factories import VentureFactory
from ventures.models import GateCondition, GateConfirmation, StageChange

pytestmark = pytest.mark.django_db


class WorksInAstonKind(gates.GateKind):
    """A kind another app might register: met for ventures working in Aston."""

    code = "works_in_aston"
    label = "Works in Aston"

    def __init__(self):
        self.prepared_batches = []

    def prepare(self, ventures, conditions):
        self.prepared_batches.append(sorted(v.pk for v in ventures))
        return {v.pk for v in ventures if v.area == "Aston"}

    def evaluate(self, venture, condition, prepared):
        return venture.pk in prepared


def test_built_in_kinds_are_registered():
    # Other apps register more kinds (e.g. checklists); the built-ins are always there.
    assert {code for code, _label in gates.kind_choices()} >= {
        "confirmed",
        "field_filled",
        "has_lead",
        "legal_form_incorporated",
    }


def test_kind_without_a_code_is_rejected():
    class Nameless(gates.GateKind):
        def evaluate(self, venture, condition, prepared):
            return True

    with pytest.raises(ValueError, match="A gate kind needs a code."):
        gates.register(Nameless())


def test_custom_kind_is_evaluated_once_per_batch(monkeypatch, programme, seir, stages):
    # given: a kind registered for this test only, used by an extra Idea condition
    kind = WorksInAstonKind()
    monkeypatch.setitem(gates._registry, kind.code, kind)
    GateCondition.objects.create(
        stage=stages["idea"], kind=kind.code, label="Works in Aston", order=9
    )
    aston = VentureFactory(programme=programme, stage_code="idea", area="Aston", seir=seir)
    elsewhere = VentureFactory(programme=programme, stage_code="idea", area="Erdington", seir=seir)

    # when
    statuses = gates.gate_status_many([aston, elsewhere])

    # then
    assert kind.prepared_batches == [sorted([aston.pk, elsewhere.pk])]
    assert [(r.condition.label, r.met) for r in statuses[aston.pk].results][-1] == (
        "Works in Aston",
        True,
    )
    assert [(r.condition.label, r.met) for r in statuses[elsewhere.pk].results][-1] == (
        "Works in Aston",
        False,
    )
    assert "Works in Aston" in [r.condition.label for r in statuses[elsewhere.pk].unmet]
    assert "Works in Aston" not in [r.condition.label for r in statuses[aston.pk].unmet]

    # and: undoing the registration leaves the registry as it was
    monkeypatch.undo()
    assert gates.get_kind(kind.code) is None


def test_custom_kind_decides_a_move(monkeypatch, programme, seir, stages):
    # given: the only Start-up condition is the custom one
    kind = WorksInAstonKind()
    monkeypatch.setitem(gates._registry, kind.code, kind)
    GateCondition.objects.filter(stage=stages["startup"]).delete()
    GateCondition.objects.create(stage=stages["startup"], kind=kind.code, label="Works in Aston")
    venture = VentureFactory(programme=programme, stage_code="startup", area="Erdington", seir=seir)

    # when / then: refused while unmet ...
    with pytest.raises(services.MoveRefused) as refused:
        services.venture_move(actor=seir, venture=venture, to_stage=stages["pilot"])
    assert refused.value.unmet == ["Works in Aston"]

    # ... allowed once it holds
    venture.area = "Aston"
    venture.save(update_fields=["area"])
    change = services.venture_move(actor=seir, venture=venture, to_stage=stages["pilot"])
    assert change.unmet_conditions == []


def test_unknown_kind_counts_as_unmet(programme, seir, stages, snapshot):
    # given: a condition naming a kind no app registered (e.g. an app was removed)
    GateCondition.objects.filter(stage=stages["startup"]).delete()
    GateCondition.objects.create(
        stage=stages["startup"], kind="contract_won", label="First contract won"
    )
    venture = VentureFactory(programme=programme, stage_code="startup", seir=seir)
    before = snapshot(venture)

    # when
    status = gates.gate_status(venture)

    # then
    assert [(r.condition.label, r.met, r.confirmable) for r in status.results] == [
        ("First contract won", False, False)
    ]
    assert status.passed is False
    with pytest.raises(services.MoveRefused) as refused:
        services.venture_move(actor=seir, venture=venture, to_stage=stages["pilot"])
    assert refused.value.unmet == ["First contract won"]
    with pytest.raises(services.VentureError) as not_confirmable:
        services.gate_condition_confirm(
            actor=seir, venture=venture, condition=status.results[0].condition, evidence="Signed."
        )
    assert not_confirmable.value.message == "That condition cannot be confirmed by hand."
    assert snapshot(venture) == before


def test_field_filled_with_an_unknown_field_is_unmet(programme, seir, stages):
    GateCondition.objects.create(
        stage=stages["idea"],
        kind="field_filled",
        label="Website given",
        params={"field": "website"},
    )
    venture = VentureFactory(programme=programme, stage_code="idea", seir=seir)

    results = {r.condition.label: r.met for r in gates.gate_status(venture).results}

    assert results["Website given"] is False


def test_stage_without_conditions_passes(programme, seir, stages):
    venture = VentureFactory(programme=programme, stage_code="scale", seir=seir)
    GateCondition.objects.filter(stage=stages["scale"]).delete()

    status = gates.gate_status(venture)

    assert (status.results, status.passed, status.met_count) == ([], True, 0)


# --- confirming by hand ------------------------------------------------------------------


@pytest.fixture
def need_condition(stages):
    return GateCondition.objects.get(stage=stages["idea"], label__startswith="Need evidenced")


def test_confirm_records_who_and_evidence_and_reconfirm_keeps_the_earlier_one(
    venture, seir, administrator, need_condition
):
    # given
    services.gate_condition_confirm(
        actor=seir, venture=venture, condition=need_condition, evidence="  JSNA 2009.  "
    )

    # when: confirmed again with better evidence
    services.gate_condition_confirm(
        actor=administrator, venture=venture, condition=need_condition, evidence="Needs assessment."
    )

    # then: one current confirmation, the administrator's; the SEiR's is kept, replaced
    assert list(
        GateConfirmation.objects.current()
        .filter(venture=venture)
        .values_list("condition", "confirmed_by", "evidence")
    ) == [(need_condition.pk, administrator.pk, "Needs assessment.")]
    assert list(
        GateConfirmation.objects.filter(venture=venture, withdrawn_at__isnull=False).values_list(
            "confirmed_by", "evidence", "withdrawn_by"
        )
    ) == [(seir.pk, "JSNA 2009.", administrator.pk)]
    results = {r.condition.pk: r for r in gates.gate_status(venture).results}
    assert results[need_condition.pk].met is True
    assert results[need_condition.pk].detail == "Needs assessment."


def test_withdraw_makes_the_condition_unmet_again(venture, seir, need_condition):
    services.gate_condition_confirm(
        actor=seir, venture=venture, condition=need_condition, evidence="JSNA."
    )

    services.gate_condition_withdraw(actor=seir, venture=venture, condition=need_condition)

    assert GateConfirmation.objects.current().filter(venture=venture).count() == 0
    kept = GateConfirmation.objects.get(venture=venture)
    assert (kept.evidence, kept.withdrawn_by) == ("JSNA.", seir)
    assert {r.condition.pk: r.met for r in gates.gate_status(venture).results}[
        need_condition.pk
    ] is False


@pytest.mark.parametrize("evidence", ["", "   "])
def test_confirm_needs_evidence(venture, seir, need_condition, snapshot, evidence):
    before = snapshot(venture)

    with pytest.raises(ValidationError) as refused:
        services.gate_condition_confirm(
            actor=seir, venture=venture, condition=need_condition, evidence=evidence
        )

    assert refused.value.message_dict == {"evidence": ["Say what shows this condition holds."]}
    assert snapshot(venture) == before


def test_automatic_kinds_cannot_be_confirmed_by_hand(venture, seir, stages, snapshot):
    has_lead = GateCondition.objects.get(stage=stages["idea"], kind="has_lead")
    before = snapshot(venture)

    with pytest.raises(services.VentureError) as refused:
        services.gate_condition_confirm(
            actor=seir, venture=venture, condition=has_lead, evidence="Named."
        )

    assert refused.value.message == "That condition cannot be confirmed by hand."
    assert snapshot(venture) == before


def test_another_programmes_condition_cannot_be_confirmed(venture, seir, other_programme, snapshot):
    foreign = GateCondition.objects.filter(
        stage__programme=other_programme, kind="confirmed"
    ).first()
    before = snapshot(venture)

    with pytest.raises(services.VentureError):
        services.gate_condition_confirm(
            actor=seir, venture=venture, condition=foreign, evidence="Seen."
        )

    assert snapshot(venture) == before


@pytest.mark.parametrize("actor_name", ["entrepreneur", "manager", "other_seir"])
def test_only_staff_confirm(request, venture, need_condition, snapshot, actor_name):
    before = snapshot(venture)

    with pytest.raises(PermissionDenied):
        services.gate_condition_confirm(
            actor=request.getfixturevalue(actor_name),
            venture=venture,
            condition=need_condition,
            evidence="Me.",
        )

    assert snapshot(venture) == before
    assert StageChange.objects.filter(venture=venture).count() == 1
