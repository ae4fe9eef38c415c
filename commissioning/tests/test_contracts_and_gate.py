"""Contracts: bounds, their status machine, the "has a contract" gate, report totals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning import selectors, services
from commissioning.models import Contract, ContractStatus
from ventures import gates
from ventures.factories import VentureFactory
from ventures.models import DefaultStage, GateCondition

pytestmark = pytest.mark.django_db

LABEL = "Has a contract (signed or live)"


def record(seir, venture, commissioner, **overrides):
    fields = {
        "service": "COPD rehabilitation",
        "value": Decimal("48000.00"),
        "start_date": datetime.date(2026, 4, 1),
        "end_date": datetime.date(2027, 3, 31),
        **overrides,
    }
    return services.contract_record(
        actor=seir, venture=venture, commissioner=commissioner, **fields
    )


def test_the_migration_put_the_condition_on_the_pilot_gate(programme):
    default = DefaultStage.objects.get(code="pilot")
    assert default.gate[-1] == {"kind": "has_contract", "label": LABEL, "params": {}}
    assert [
        s for s in DefaultStage.objects.all() if any(i["kind"] == "has_contract" for i in s.gate)
    ] == [default]
    # a programme created afterwards copies it onto its pilot stage only
    assert list(
        GateCondition.objects.filter(stage__programme=programme, kind="has_contract").values_list(
            "stage__code", "label"
        )
    ) == [("pilot", LABEL)]


@pytest.mark.parametrize(
    ("status", "met"),
    [("negotiating", False), ("signed", True), ("live", True), ("ended", False)],
)
def test_the_gate_is_met_by_a_signed_or_live_contract(seir, venture, ben_pct, status, met):
    record(seir, venture, ben_pct, status=status)
    result = next(
        r for r in gates.gate_status(venture).results if r.condition.kind == "has_contract"
    )
    assert result.met is met
    assert result.detail == ("COPD rehabilitation for BEN PCT" if met else "")


def test_the_gate_is_unmet_without_contracts_and_batches_in_one_query(
    seir, programme, ben_pct, django_assert_num_queries
):
    ventures = [
        VentureFactory(programme=programme, stage_code="pilot", seir=seir) for _ in range(4)
    ]
    record(seir, ventures[1], ben_pct, status="signed")
    # one query for the conditions, one for the confirmed kind, one for contracts, one
    # for checklists' kind and one for plans' business_plan_approved (the pilot gate
    # holds both too)
    with django_assert_num_queries(5):
        statuses = gates.gate_status_many(ventures)
    held = [
        next(r.met for r in statuses[v.pk].results if r.condition.kind == "has_contract")
        for v in ventures
    ]
    assert held == [False, True, False, False]


def test_contract_status_machine(seir, venture, ben_pct):
    contract = record(seir, venture, ben_pct)
    services.contract_set_status(actor=seir, contract=contract, to_status="signed")
    services.contract_set_status(actor=seir, contract=contract, to_status="live")
    with pytest.raises(services.CommissioningError) as refused:
        services.contract_set_status(actor=seir, contract=contract, to_status="signed")
    assert refused.value.message == "A live contract cannot become signed."
    services.contract_set_status(actor=seir, contract=contract, to_status="ended")
    contract.refresh_from_db()
    assert contract.status == "ended"
    assert [
        (c.actor, c.to_status, c.note) for c in selectors.contract_history(contract=contract)
    ] == [
        (seir, "negotiating", ""),
        (seir, "signed", ""),
        (seir, "live", ""),
        (seir, "ended", ""),
    ]


def test_a_stale_contract_status_is_refused(seir, venture, ben_pct):
    contract = record(seir, venture, ben_pct)
    services.contract_set_status(actor=seir, contract=contract, to_status="signed")
    with pytest.raises(services.StaleStep):
        services.contract_set_status(
            actor=seir, contract=contract, to_status="ended", expected_status="negotiating"
        )
    contract.refresh_from_db()
    assert contract.status == "signed"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"value": Decimal("1000000000.00")}, "value"),
        ({"value": Decimal("-1")}, "value"),
        ({"end_date": datetime.date(2026, 4, 1)}, "end_date"),
        ({"service": ""}, "service"),
        ({"status": "won"}, "status"),
    ],
)
def test_bad_contracts_are_refused_with_a_field_error(seir, venture, ben_pct, overrides, field):
    with pytest.raises(ValidationError) as refused:
        record(seir, venture, ben_pct, **overrides)
    assert field in refused.value.message_dict
    assert not Contract.objects.exists()


def test_only_the_ventures_seir_records_contracts(
    manager, commissioner_user, contact, venture, ben_pct
):
    for actor in (manager, commissioner_user):
        with pytest.raises(PermissionDenied):
            record(actor, venture, ben_pct)
    assert not Contract.objects.exists()


def test_contract_totals_per_programme(seir, manager, venture, other_venture, ben_pct, council):
    record(seir, venture, ben_pct, status="live", value=Decimal("48000"))
    record(seir, other_venture, council, status="negotiating", value=Decimal("12000.50"))
    record(seir, other_venture, council, status="signed", value=Decimal("1000"))
    expected = [
        {
            "venture__programme_id": venture.programme_id,
            "venture__programme__name": "Birmingham East and North SEiR programme",
            "contracts": 3,
            "held": 2,
            "total_value": Decimal("61000.50"),
            "held_value": Decimal("49000.00"),
        }
    ]
    assert selectors.contract_totals_by_programme(user=manager) == expected
    assert selectors.contract_totals_by_programme(user=seir) == expected


def test_contract_totals_hide_other_programmes(seir, venture, ben_pct, council_user):
    record(seir, venture, ben_pct, status="live")
    assert selectors.contract_totals_by_programme(user=council_user) == []


def test_contract_events(seir, venture, ben_pct, events):
    contract = record(seir, venture, ben_pct)
    services.contract_set_status(actor=seir, contract=contract, to_status=ContractStatus.SIGNED)
    assert events(venture_id=venture.pk) == [
        "commissioning.contract_recorded",
        "commissioning.contract_status_changed",
    ]
