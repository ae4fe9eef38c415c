"""Issue 16, item 2, over the demo data: no page shows a gate condition missing whose
evidence on the checklist is accepted, nor a hand confirmation "met" beside the
checklist's own condition unmet, unless it is shown as an override."""

import html
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from checklists.gate import CODE, ITEM_CODE, item_codes
from checklists.models import DONE_STATUSES, ChecklistItem
from ventures.models import Venture

pytestmark = pytest.mark.django_db

CQC = "Registrations for regulated care (e.g. CQC) in place"
# What the issue names, independent of how the gate reads it: condition -> item labels.
RESTATES = {CQC: ["CQC registration where regulated activities are provided"]}


def words(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def gate_items(page: str) -> list[tuple[bool, str]]:
    """(met, text) of each gate line on a venture page or move page."""
    found = []
    for state, body in re.findall(
        r'<li class="[^"]*gate-item is-(met|unmet)">(.*?)</li>', page, flags=re.S
    ):
        text = re.sub(r"^(Met|Missing): ", "", words(body).lstrip("✓✗ "))
        found.append((state == "met", text))
    return found


def accepted_evidence(venture) -> set[str]:
    """Labels of the venture's gate conditions whose checklist evidence is all accepted
    (or not applicable): none of them may be shown missing."""
    items = {
        i.code: i
        for i in ChecklistItem.objects.filter(checklist__venture=venture, removed_at=None)
        if i.code
    }
    stage_items = ChecklistItem.objects.filter(
        checklist__venture=venture, removed_at=None, stage_code=venture.stage.code
    )
    labels = set()
    by_label = {
        i.label: i
        for i in ChecklistItem.objects.filter(checklist__venture=venture, removed_at=None)
    }
    for condition in venture.stage.gate_conditions.all():
        restated = RESTATES.get(condition.label, [])
        if restated and all(
            by_label.get(label) and by_label[label].status in DONE_STATUSES for label in restated
        ):
            labels.add(condition.label)
        if condition.kind == ITEM_CODE:
            codes = item_codes(condition)
            if codes and all(c in items and items[c].status in DONE_STATUSES for c in codes):
                labels.add(condition.label)
        if condition.kind == CODE and all(i.status in DONE_STATUSES for i in stage_items):
            labels.add(condition.label)
    return labels


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    return Venture.objects.filter(checklist__isnull=False).select_related("stage")


def test_no_demo_page_shows_a_condition_missing_whose_evidence_is_accepted(client, demo):
    seir = User.objects.get(username="seir")
    assert demo.count() == 4
    checked = 0
    for venture in demo:
        accepted = accepted_evidence(venture)
        client.force_login(seir)
        pages = {
            "detail": client.get(reverse("ventures:detail", args=[venture.pk])),
            "move": client.get(reverse("ventures:move", args=[venture.pk])),
        }
        for name, response in pages.items():
            assert response.status_code == 200, (venture, name)
            lines = gate_items(response.content.decode())
            if name == "move" and venture.is_inactive:
                assert lines == []  # a paused venture's dialog offers only "Reactivate"
                continue
            assert lines, (venture, name)
            for met, text in lines:
                label_missing = [label for label in accepted if text.startswith(label)]
                assert met or not label_missing, (venture.name, name, text)
                checked += 1
            # a hand confirmation covering the checklist shows met only as an override
            checklist_met = next(met for met, t in lines if t.startswith(CODE_LABEL))
            for met, text in lines:
                if text.startswith("Due diligence passed") and met and not checklist_met:
                    assert "Override" in text and "Override reason:" in text, text
        board = client.get(reverse("ventures:board")).content.decode()
        card = re.search(
            rf'id="venture-card-{venture.pk}">(.*?)</li>\s*(?=<li class="card|</ul>)', board, re.S
        )
        if card:
            for label in accepted:
                assert label not in words(card.group(1)), (venture.name, "board", label)
        if venture.lead and venture.lead.has_usable_password():
            client.force_login(venture.lead)
            mine = words(client.get(reverse("ventures:mine")).content.decode())
            for label in accepted:
                assert label not in mine, (venture.name, "mine", label)
    assert checked > 20


CODE_LABEL = "All checklist items required for this stage accepted"


def test_the_demo_cases_the_issue_names(client, demo):
    client.force_login(User.objects.get(username="seir"))

    # Saheli: "CQC registration" is accepted, so its gate line is met, linked to the item
    saheli = demo.get(name="Saheli Women's Centre")
    page = client.get(reverse("ventures:detail", args=[saheli.pk])).content.decode()
    cqc = next((met, t) for met, t in gate_items(page) if t.startswith(CQC))
    assert cqc == (
        True,
        f"{CQC} Evidence: Checklist item “CQC registration where regulated activities are provided”: "
        "Accepted. Open in the checklist for “" + CQC + "”",
    )

    # Breathe Easy: required items outstanding, so "Due diligence passed" is not shown met
    breathe = demo.get(name="Breathe Easy Erdington")
    lines = gate_items(client.get(reverse("ventures:detail", args=[breathe.pk])).content.decode())
    assert next(met for met, t in lines if t.startswith(CODE_LABEL)) is False
    diligence = next((met, t) for met, t in lines if t.startswith("Due diligence passed"))
    assert diligence[0] is False or "Override reason:" in diligence[1]
