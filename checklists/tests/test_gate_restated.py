"""Issue 16, item 2: a gate never contradicts the checklist.

A condition that restates a checklist item is read from the item (met by its acceptance,
unmet when it expires or is reopened and returned); a SEiR's confirmation that vouches
for the stage's required items while they are outstanding is an override, with a reason.
"""

import datetime
import html
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.factories import pdf_upload
from checklists.gate import ITEM_CODE
from checklists.models import ChecklistItem, ItemStatus, TemplateItem
from events.models import Event
from tests.clients import texts
from ventures import gates
from ventures import services as venture_services
from ventures.models import DefaultStage, GateCondition, GateConfirmation, Stage, Venture

pytestmark = pytest.mark.django_db

CQC = "Registrations for regulated care (e.g. CQC) in place"
CQC_ITEM = "CQC registration where regulated activities are provided"
DUE_DILIGENCE = "Due diligence passed"
codes_migration = importlib.import_module("checklists.migrations.0005_item_codes_and_gate")


def page_text(response) -> str:
    """The page's words, tags dropped and whitespace collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def move_to(venture, code):
    Venture.objects.filter(pk=venture.pk).update(
        stage=Stage.objects.get(programme=venture.programme, code=code)
    )
    venture.refresh_from_db()
    return venture


def result(venture, label):
    return next(r for r in gates.gate_status(venture).results if r.condition.label == label)


def accept(item, seir, entrepreneur, expires_on=None):
    services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload())
    services.checklist_item_move(actor=entrepreneur, item=item, to_status=ItemStatus.SUBMITTED)
    services.checklist_item_move(
        actor=seir, item=item, to_status=ItemStatus.ACCEPTED, expires_on=expires_on
    )


@pytest.fixture
def growth(venture, checklist):
    return move_to(venture, "growth")


@pytest.fixture
def cqc(checklist):
    return ChecklistItem.objects.get(checklist=checklist, code="cqc-registration")


# --- reference data ------------------------------------------------------------------


def test_the_cqc_condition_is_read_from_the_checklist_item_in_defaults_and_programmes(
    programme,
):
    growth = DefaultStage.objects.get(code="growth")
    assert [c for c in growth.gate if c["label"] == CQC] == [
        {"kind": ITEM_CODE, "label": CQC, "params": {"items": ["cqc-registration"]}}
    ]
    pilot = DefaultStage.objects.get(code="pilot")
    assert [c for c in pilot.gate if c["label"] == DUE_DILIGENCE] == [
        {
            "kind": "confirmed",
            "label": DUE_DILIGENCE,
            "params": {"covers": "checklist_items_accepted"},
        }
    ]
    condition = GateCondition.objects.get(stage__programme=programme, label=CQC)
    assert (condition.kind, condition.params) == (ITEM_CODE, {"items": ["cqc-registration"]})
    assert TemplateItem.objects.get(label=CQC_ITEM).code == "cqc-registration"
    assert TemplateItem.objects.filter(section__template__code="default", code="").count() == 0


def test_the_migration_switches_existing_programmes_reverses_and_backfills_codes(
    programme, checklist, cqc
):
    ChecklistItem.objects.filter(pk=cqc.pk).update(code="")
    codes_migration.backwards(django_apps, None)
    condition = GateCondition.objects.get(stage__programme=programme, label=CQC)
    assert (condition.kind, condition.params) == ("confirmed", {})
    dd = GateCondition.objects.get(stage__programme=programme, label=DUE_DILIGENCE)
    assert dd.params == {}

    codes_migration.forwards(django_apps, None)
    codes_migration.forwards(django_apps, None)  # twice: the same

    condition.refresh_from_db()
    dd.refresh_from_db()
    assert (condition.kind, condition.params) == (ITEM_CODE, {"items": ["cqc-registration"]})
    assert dd.params == {"covers": "checklist_items_accepted"}
    cqc.refresh_from_db()
    assert cqc.code == "cqc-registration"


# --- a restated item: acceptance meets, expiry and return unmeet ------------------------


def test_acceptance_of_the_item_meets_the_condition_and_links_to_it(
    growth, cqc, seir, entrepreneur
):
    before = result(growth, CQC)
    assert before.met is False
    assert before.detail == f"Checklist item “{CQC_ITEM}”: Not started."

    accept(cqc, seir, entrepreneur)

    after = result(growth, CQC)
    assert after.met is True
    assert after.detail == f"Checklist item “{CQC_ITEM}”: Accepted."
    assert after.url == reverse("checklists:item", args=[cqc.pk])
    assert after.link_text == "Open in the checklist"


def test_not_applicable_meets_it_too(growth, cqc, seir):
    services.checklist_item_move(
        actor=seir, item=cqc, to_status=ItemStatus.NOT_APPLICABLE, comment="No regulated care."
    )
    assert result(growth, CQC).met is True


def test_expiry_unmeets_it_even_before_the_daily_run(growth, cqc, seir, entrepreneur):
    today = timezone.localdate()
    accept(cqc, seir, entrepreneur, expires_on=today)
    assert result(growth, CQC).met is True

    # the validity ended yesterday; the daily run has not marked it expired yet
    ChecklistItem.objects.filter(pk=cqc.pk).update(expires_on=today - datetime.timedelta(days=1))
    stale = result(growth, CQC)
    assert (stale.met, stale.detail) == (False, f"Checklist item “{CQC_ITEM}”: Expired.")

    services.checklist_items_expire(today=today)
    expired = result(growth, CQC)
    assert (expired.met, expired.detail) == (False, f"Checklist item “{CQC_ITEM}”: Expired.")


def test_reopening_and_returning_unmeets_it(growth, cqc, seir, entrepreneur):
    accept(cqc, seir, entrepreneur)
    services.checklist_item_move(
        actor=seir, item=cqc, to_status=ItemStatus.IN_PROGRESS, comment="Certificate lapsed."
    )
    assert result(growth, CQC).met is False
    services.checklist_item_move(actor=entrepreneur, item=cqc, to_status=ItemStatus.SUBMITTED)
    services.checklist_item_move(
        actor=seir, item=cqc, to_status=ItemStatus.RETURNED, comment="Wrong certificate."
    )
    returned = result(growth, CQC)
    assert (returned.met, returned.detail) == (False, f"Checklist item “{CQC_ITEM}”: Returned.")


def test_a_removed_item_or_no_checklist_leaves_it_unmet(venture, seir):
    growth = move_to(venture, "growth")
    missing = result(growth, CQC)
    assert (missing.met, missing.detail, missing.url) == (
        False,
        "“cqc-registration” is not on this venture's checklist.",
        reverse("checklists:venture", args=[growth.pk]),
    )


def test_the_condition_cannot_be_confirmed_by_hand(growth, cqc, seir):
    condition = GateCondition.objects.get(stage=growth.stage, label=CQC)
    with pytest.raises(venture_services.VentureError):
        venture_services.gate_condition_confirm(
            actor=seir, venture=growth, condition=condition, evidence="Seen the certificate."
        )
    assert not GateConfirmation.objects.exists()


def test_the_move_gate_counts_the_item(growth, cqc, seir, entrepreneur):
    accept(cqc, seir, entrepreneur)
    scale = Stage.objects.get(programme=growth.programme, code="scale")
    with pytest.raises(venture_services.MoveRefused) as refused:
        venture_services.venture_move(actor=seir, venture=growth, to_stage=scale)
    assert CQC not in refused.value.unmet


# --- a confirmation that covers the stage's required items -----------------------------


@pytest.fixture
def pilot(venture, checklist):
    return move_to(venture, "pilot")


@pytest.fixture
def due_diligence(pilot):
    return GateCondition.objects.get(stage=pilot.stage, label=DUE_DILIGENCE)


def test_confirmation_without_a_reason_is_refused_while_items_are_outstanding(
    pilot, due_diligence, seir
):
    events = Event.objects.count()
    with pytest.raises(ValidationError) as refused:
        venture_services.gate_condition_confirm(
            actor=seir, venture=pilot, condition=due_diligence, evidence="Panel review."
        )
    assert refused.value.message_dict == {
        "override_reason": [
            "Not confirmed: “All checklist items required for this stage accepted” is not met "
            "(0 of 20 checklist items accepted or not applicable). To confirm “Due diligence "
            "passed” anyway, write an override reason (why it holds all the same)."
        ]
    }
    assert not GateConfirmation.objects.exists()
    assert Event.objects.count() == events
    assert result(pilot, DUE_DILIGENCE).met is False


def test_confirmation_with_a_reason_is_an_override_shown_beside_the_gate(
    client, pilot, due_diligence, seir
):
    confirmation = venture_services.gate_condition_confirm(
        actor=seir,
        venture=pilot,
        condition=due_diligence,
        evidence="Panel review, 3 March.",
        override_reason="The panel reviewed the originals; uploads follow.",
    )
    assert confirmation.override_reason == "The panel reviewed the originals; uploads follow."
    assert confirmation.overridden == (
        "“All checklist items required for this stage accepted” is not met "
        "(0 of 20 checklist items accepted or not applicable)."
    )
    event = Event.objects.filter(kind="venture.gate_confirmed").latest("pk")
    assert event.data["override_reason"] == confirmation.override_reason

    r = result(pilot, DUE_DILIGENCE)
    assert (r.met, r.overridden, r.override_reason) == (True, True, confirmation.override_reason)
    assert result(pilot, "All checklist items required for this stage accepted").met is False

    client.force_login(seir)
    page = page_text(client.get(reverse("ventures:detail", args=[pilot.pk])))
    assert (
        "Due diligence passed Override Evidence: Panel review, 3 March. Confirmed although "
        "“All checklist items required for this stage accepted” is not met (0 of 20 checklist "
        "items accepted or not applicable). Override reason: The panel reviewed the originals; "
        "uploads follow."
    ) in page


def test_confirmation_needs_no_reason_once_the_items_are_accepted(
    pilot, due_diligence, seir, checklist
):
    checklist.items.filter(stage_code="pilot").update(status=ItemStatus.ACCEPTED)
    confirmation = venture_services.gate_condition_confirm(
        actor=seir,
        venture=pilot,
        condition=due_diligence,
        evidence="Panel review.",
        override_reason="Not needed.",
    )
    assert (confirmation.override_reason, confirmation.overridden) == ("", "")
    r = result(pilot, DUE_DILIGENCE)
    assert (r.met, r.overridden) == (True, False)


def test_an_earlier_confirmation_stops_counting_when_an_item_is_reopened(
    pilot, due_diligence, seir, checklist
):
    checklist.items.filter(stage_code="pilot").update(status=ItemStatus.ACCEPTED)
    venture_services.gate_condition_confirm(
        actor=seir, venture=pilot, condition=due_diligence, evidence="Panel review."
    )
    first = checklist.items.filter(stage_code="pilot").order_by("pk").first()
    ChecklistItem.objects.filter(pk=first.pk).update(status=ItemStatus.RETURNED)

    r = result(pilot, DUE_DILIGENCE)
    assert (r.met, r.confirmed, r.overridden) == (False, True, False)
    assert r.outstanding == (
        "“All checklist items required for this stage accepted” is not met "
        "(19 of 20 checklist items accepted or not applicable)."
    )


def test_the_confirm_form_refused_without_a_reason_keeps_the_evidence_and_writes_nothing(
    client, pilot, due_diligence, seir
):
    client.force_login(seir)
    url = reverse("ventures:gate_confirm", args=[pilot.pk, due_diligence.pk])
    page = client.get(reverse("ventures:detail", args=[pilot.pk])).content.decode()
    assert f'id="override-{due_diligence.pk}"' in page  # the form asks for it up front

    response = client.post(url, {"evidence": "Panel review, 3 March."})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Panel review, 3 March."' in html
    assert f'id="override-{due_diligence.pk}-error"' in html
    assert "To confirm “Due diligence passed” anyway, write an override reason" in page_text(
        response
    )
    assert texts(response) == ["“Due diligence passed” was not confirmed: see the Gate section."]
    assert not GateConfirmation.objects.exists()

    response = client.post(
        url, {"evidence": "Panel review, 3 March.", "override_reason": "Originals seen."}
    )
    assert response.status_code == 302
    assert GateConfirmation.objects.get().override_reason == "Originals seen."
    assert texts(response) == ["Confirmed as an override: Due diligence passed."]


def test_posting_a_confirmation_of_the_item_condition_says_why_and_writes_nothing(
    client, growth, seir
):
    condition = GateCondition.objects.get(stage=growth.stage, label=CQC)
    client.force_login(seir)
    response = client.post(
        reverse("ventures:gate_confirm", args=[growth.pk, condition.pk]),
        {"evidence": "Seen the certificate."},
    )
    assert response.status_code == 302
    assert texts(response) == ["That condition cannot be confirmed by hand."]
    assert not GateConfirmation.objects.exists()


def test_a_nul_in_the_override_reason_is_refused_beside_the_field(
    client, pilot, due_diligence, seir
):
    client.force_login(seir)
    response = client.post(
        reverse("ventures:gate_confirm", args=[pilot.pk, due_diligence.pk]),
        {"evidence": "Panel review.", "override_reason": "Seen\x00."},
    )
    assert response.status_code == 200
    assert f'id="override-{due_diligence.pk}-error"' in response.content.decode()
    assert "Null characters are not allowed." in page_text(response)
    assert not GateConfirmation.objects.exists()


def test_the_team_is_told_a_confirmation_does_not_count_but_not_to_do_what_only_the_seir_can(
    client, pilot, due_diligence, seir, entrepreneur
):
    # given a SEiR's confirmation of "Due diligence passed" while required items are
    # outstanding (it does not count)
    GateConfirmation.objects.create(
        venture=pilot,
        condition=due_diligence,
        confirmed_by=seir,
        confirmed_at=timezone.now(),
        evidence="Panel review.",
    )
    detail = reverse("ventures:detail", args=[pilot.pk])
    told = "The confirmation does not count: “All checklist items required for this stage"
    instruction = "Accept those items, or confirm again with an override reason."

    # then the SEiR, who can accept items and confirm, is told both why and what to do
    client.force_login(seir)
    text = page_text(client.get(detail))
    assert told in text
    assert instruction in text

    # and the entrepreneur sees why, without an instruction they cannot follow
    client.force_login(entrepreneur)
    text = page_text(client.get(detail))
    assert told in text
    assert instruction not in text


def test_the_boards_gate_reads_what_the_page_reads_without_the_texts(pilot, due_diligence, seir):
    venture_services.gate_condition_confirm(
        actor=seir,
        venture=pilot,
        condition=due_diligence,
        evidence="Panel review, 3 March.",
        override_reason="The panel reviewed the originals; uploads follow.",
    )
    pilot = Venture.objects.select_related("legal_form").get(pk=pilot.pk)

    full = gates.gate_status_many([pilot])[pilot.pk].results
    summary = gates.gate_status_many([pilot], detail=False)[pilot.pk].results

    def shown(r):
        return (r.condition.pk, r.met, r.confirmable, r.confirmed, r.override_reason)

    assert [shown(r) for r in summary] == [shown(r) for r in full]
    assert any(r.overridden for r in summary) and any(not r.met for r in summary)
    assert {(r.detail, r.url, r.link_text, r.outstanding) for r in summary} == {("", "", "", "")}
    assert any(r.detail for r in full) and any(r.url for r in full)
