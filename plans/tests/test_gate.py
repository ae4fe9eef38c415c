"""Gate condition kind "business_plan_approved" and the migration that adds it."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.factories import ProgrammeFactory
from plans import factories
from plans.gates import BusinessPlanApprovedKind
from ventures import gates, services
from ventures.factories import VentureFactory
from ventures.models import DefaultStage, GateCondition, Stage

pytestmark = pytest.mark.django_db

_migration = importlib.import_module("plans.migrations.0003_business_plan_gate")


def plan_result(venture):
    status = gates.gate_status(venture)
    return [
        (r.condition.label, r.met, r.detail)
        for r in status.results
        if r.condition.kind == "business_plan_approved"
    ]


def test_kind_is_registered_with_its_label():
    assert ("business_plan_approved", "Business plan approved") in gates.kind_choices()


def test_default_stages_carry_the_condition_where_domain_puts_a_plan():
    gate = {d.code: d.gate for d in DefaultStage.objects.all()}
    plan_items = {
        code: [i for i in items if i["kind"] == "business_plan_approved"]
        for code, items in gate.items()
    }
    assert plan_items["idea"] == plan_items["growth"] == plan_items["scale"] == []
    assert [(i["label"], i["params"].get("in_current_stage")) for i in plan_items["startup"]] == [
        ("Outline business plan", None)
    ]
    assert [(i["label"], i["params"].get("in_current_stage")) for i in plan_items["pilot"]] == [
        ("Full business plan with a 3-year cash flow", True)
    ]
    # it replaced the hand-confirmed condition of the same label
    assert not [
        i
        for i in gate["startup"]
        if i["label"] == "Outline business plan" and i["kind"] == "confirmed"
    ]


def test_new_programmes_get_it_from_the_defaults(programme):
    conditions = GateCondition.objects.filter(
        stage__programme=programme, kind="business_plan_approved"
    )
    assert sorted(conditions.values_list("stage__code", "label")) == [
        ("pilot", "Full business plan with a 3-year cash flow"),
        ("startup", "Outline business plan"),
    ]


def test_startup_gate_met_once_a_version_is_approved(programme, seir, entrepreneur):
    venture = VentureFactory(
        programme=programme, stage_code="startup", lead=entrepreneur, seir=seir
    )
    assert plan_result(venture) == [("Outline business plan", False, "")]

    factories.write(entrepreneur, venture, {"executive-summary": "Outline."})
    v1 = factories.submit(entrepreneur, venture)
    assert plan_result(venture) == [("Outline business plan", False, "")]  # submitted only
    factories.review(seir, v1, {"risks": "More."})
    assert plan_result(venture) == [("Outline business plan", False, "")]  # feedback only

    factories.write(entrepreneur, venture, {"risks": "Rain."})
    v2 = factories.submit(entrepreneur, venture)
    factories.review(seir, v2, {}, approve=True)
    assert plan_result(venture) == [("Outline business plan", True, "Version 2 approved.")]


def test_pilot_gate_needs_a_plan_approved_at_pilot(programme, seir, entrepreneur, stages):
    # given: a plan approved while the venture was at start-up, then a move to pilot
    venture = VentureFactory(
        programme=programme, stage_code="startup", lead=entrepreneur, seir=seir
    )
    factories.write(entrepreneur, venture, {"executive-summary": "Outline."})
    factories.review(seir, factories.submit(entrepreneur, venture), {}, approve=True)
    services.venture_move(
        actor=seir, venture=venture, to_stage=stages["pilot"], override_reason="Test setup."
    )
    venture.refresh_from_db()
    assert plan_result(venture) == [("Full business plan with a 3-year cash flow", False, "")]

    # when: the full plan is submitted and approved at pilot
    factories.write(entrepreneur, venture, {"financial-plan": "Three-year cash flow."})
    factories.review(seir, factories.submit(entrepreneur, venture), {}, approve=True)

    # then
    assert plan_result(venture) == [
        ("Full business plan with a 3-year cash flow", True, "Version 2 approved.")
    ]


def test_batch_evaluation_is_one_query(programme, seir, entrepreneur):
    ventures = [
        VentureFactory(programme=programme, stage_code="startup", lead=entrepreneur, seir=seir)
        for _ in range(6)
    ]
    for venture in ventures[:3]:
        factories.write(entrepreneur, venture, {"team": "Us."})
        factories.review(seir, factories.submit(entrepreneur, venture), {}, approve=True)
    conditions = list(
        GateCondition.objects.filter(kind="business_plan_approved", stage__programme=programme)
    )
    kind = BusinessPlanApprovedKind()
    with CaptureQueriesContext(connection) as queries:
        prepared = kind.prepare(ventures, conditions)
    assert len(queries) == 1
    startup = next(c for c in conditions if c.stage.code == "startup")
    assert [kind.evaluate(v, startup, prepared) for v in ventures] == [True] * 3 + [False] * 3


def test_migration_converts_existing_programmes_and_reverses(programme):
    # given: the state before the migration (conditions hand-confirmed), plus a programme
    # whose admin renamed the start-up condition
    renamed = ProgrammeFactory(name="Renamed")
    _migration.backwards(django_apps, None)
    GateCondition.objects.filter(stage__programme=renamed, label="Outline business plan").update(
        label="Plan outline agreed"
    )
    assert not GateCondition.objects.filter(kind="business_plan_approved").exists()
    assert [i["kind"] for i in DefaultStage.objects.get(code="startup").gate].count(
        "confirmed"
    ) == 4

    # when
    _migration.forwards(django_apps, None)

    # then: converted in place where the label matched, added where it did not
    startup = Stage.objects.get(programme=programme, code="startup")
    # (other apps add their own conditions to these gates too: only DOMAIN.md's are listed)
    domain_labels = {
        "Legal form chosen and incorporated",
        "Governance in place",
        "Outline business plan",
        "First funding sought",
        "Pilot discussed with a commissioner",
    }
    assert [
        row
        for row in startup.gate_conditions.values_list("label", "kind")
        if row[0] in domain_labels
    ] == [
        ("Legal form chosen and incorporated", "legal_form_incorporated"),
        ("Governance in place", "confirmed"),
        ("Outline business plan", "business_plan_approved"),
        ("First funding sought", "confirmed"),
        ("Pilot discussed with a commissioner", "confirmed"),
    ]
    renamed_startup = Stage.objects.get(programme=renamed, code="startup")
    assert list(renamed_startup.gate_conditions.values_list("label", "kind"))[-1] == (
        "Outline business plan",
        "business_plan_approved",
    )
    # running it twice adds nothing
    count = GateCondition.objects.filter(kind="business_plan_approved").count()
    _migration.forwards(django_apps, None)
    assert GateCondition.objects.filter(kind="business_plan_approved").count() == count

    # and it reverses cleanly
    _migration.backwards(django_apps, None)
    assert not GateCondition.objects.filter(kind="business_plan_approved").exists()
    assert (
        GateCondition.objects.get(stage=startup, label="Outline business plan").kind == "confirmed"
    )
    assert not GateCondition.objects.filter(
        stage=renamed_startup, label="Outline business plan"
    ).exists()
    _migration.forwards(django_apps, None)


def test_venture_page_shows_the_condition_met_with_its_evidence(
    client, programme, seir, entrepreneur
):
    from django.urls import reverse

    venture = VentureFactory(
        programme=programme, stage_code="startup", lead=entrepreneur, seir=seir
    )
    client.force_login(seir)
    url = reverse("ventures:detail", args=[venture.pk])
    html = client.get(url).content.decode()
    assert '<span class="visually-hidden">Missing:</span> Outline business plan' in html

    factories.write(entrepreneur, venture, {"executive-summary": "Outline."})
    factories.review(seir, factories.submit(entrepreneur, venture), {}, approve=True)

    html = client.get(url).content.decode()
    assert '<span class="visually-hidden">Met:</span> Outline business plan' in html
    assert "Evidence: Version 1 approved." in html
