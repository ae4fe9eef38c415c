"""The gate condition: every checklist item tied to the current stage accepted."""

import importlib

import pytest
from django.apps import apps as django_apps

from checklists import services
from checklists.factories import pdf_upload
from checklists.gate import CODE, LABEL
from checklists.models import ChecklistItem, ItemStatus
from ventures import gates
from ventures.factories import VentureFactory
from ventures.models import DefaultStage, GateCondition, Stage

pytestmark = pytest.mark.django_db

gate_migration = importlib.import_module("checklists.migrations.0003_gate_condition")


def condition_met(venture) -> bool:
    status = gates.gate_status(venture)
    return next(r.met for r in status.results if r.condition.kind == CODE)


def finish(item, seir, entrepreneur):
    services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload())
    services.checklist_item_move(actor=entrepreneur, item=item, to_status=ItemStatus.SUBMITTED)
    services.checklist_item_move(actor=seir, item=item, to_status=ItemStatus.ACCEPTED)


def test_the_condition_is_on_startup_pilot_and_growth_gates(programme):
    for default in DefaultStage.objects.all():
        kinds = [c["kind"] for c in default.gate]
        assert (CODE in kinds) == (default.code in ("startup", "pilot", "growth"))
    stages = Stage.objects.filter(programme=programme, gate_conditions__kind=CODE)
    assert sorted(stages.values_list("code", flat=True)) == ["growth", "pilot", "startup"]
    assert GateCondition.objects.filter(kind=CODE).first().label == LABEL


def test_the_migration_adds_it_to_existing_programmes_once_and_reverses(programme):
    GateCondition.objects.filter(kind=CODE).delete()
    gate_migration.add(django_apps, None)
    gate_migration.add(django_apps, None)
    assert GateCondition.objects.filter(stage__programme=programme, kind=CODE).count() == 3
    gate_migration.remove(django_apps, None)
    assert not GateCondition.objects.filter(kind=CODE).exists()
    assert not any(c["kind"] == CODE for d in DefaultStage.objects.all() for c in d.gate)
    gate_migration.add(django_apps, None)
    assert DefaultStage.objects.get(code="pilot").gate[-1] == {
        "kind": CODE,
        "label": LABEL,
        "params": {},
    }


def test_met_only_when_every_item_of_the_current_stage_is_accepted_or_not_applicable(
    venture, checklist, seir, entrepreneur
):
    startup = list(checklist.items.filter(stage_code="startup").order_by("pk"))
    assert len(startup) == 8
    assert not condition_met(venture)

    for item in startup[:-2]:
        finish(item, seir, entrepreneur)
    services.checklist_item_move(
        actor=seir, item=startup[-2], to_status=ItemStatus.NOT_APPLICABLE, comment="No board yet"
    )
    assert not condition_met(venture)  # one still open

    # items of other stages do not count; a removed item does not count either
    services.checklist_item_remove(actor=seir, item=startup[-1], reason="Duplicate")
    assert condition_met(venture)
    status = gates.gate_status(venture)
    detail = next(r.detail for r in status.results if r.condition.kind == CODE)
    assert detail == "7 of 7 checklist items accepted or not applicable."


def test_an_expired_item_reopens_the_gate(venture, checklist, seir, entrepreneur):
    for item in checklist.items.filter(stage_code="startup"):
        services.checklist_item_move(
            actor=seir, item=item, to_status=ItemStatus.NOT_APPLICABLE, comment="n/a"
        )
    assert condition_met(venture)
    ChecklistItem.objects.filter(checklist=checklist, stage_code="startup").update(
        status=ItemStatus.EXPIRED
    )
    assert not condition_met(venture)


def test_a_stage_with_no_items_tied_to_it_has_nothing_outstanding(programme, seir):
    venture = VentureFactory(programme=programme, stage_code="growth")
    assert condition_met(venture)


def test_a_batch_is_evaluated_in_one_query(
    programme, seir, default_template, django_assert_num_queries
):
    ventures = []
    for index in range(6):
        v = VentureFactory(
            programme=programme, stage_code=["startup", "pilot", "growth"][index % 3]
        )
        services.checklist_create(actor=seir, venture=v, template=default_template)
        ventures.append(v)
    kind = gates.get_kind(CODE)
    with django_assert_num_queries(1):
        prepared = kind.prepare(ventures, [])
    assert prepared["stage"][ventures[0].pk] == (0, 8)
    assert prepared["stage"][ventures[1].pk] == (0, 20)
    assert prepared["stage"][ventures[2].pk] == (0, 7)
