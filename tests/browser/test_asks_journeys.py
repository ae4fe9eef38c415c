"""Browser journey through "What is being asked of you" (issue 16 item 3): the
entrepreneur signs in, sees a returned checklist item with the SEiR's comment and unread
plan feedback, marks the feedback read, and follows the item's link to act on it. axe
runs on every page state."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from checklists import services
from checklists.models import ItemStatus
from plans import factories as plan_factories
from tests.a11y import assert_accessible
from ventures.factories import VentureFactory

# Transactional tests flush the reference data migrations made: re-seed it (idempotent).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_venture_reference = importlib.import_module("ventures.migrations.0002_reference_data")
_plan_template = importlib.import_module("plans.migrations.0002_default_template")

COMMENT = "The certificate is for another address: upload the one for Aston."


@pytest.fixture
def story():
    _venture_reference.seed(django_apps, None)
    _plan_template.seed(django_apps, None)
    programme = ProgrammeFactory(name="Birmingham East")
    seir = member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    esther = member(
        programme, Role.ENTREPRENEUR, username="esther", first_name="Esther", last_name="Lead"
    )
    venture = VentureFactory(
        programme=programme,
        stage_code="startup",
        name="Saheli Women's Centre",
        lead=esther,
        seir=seir,
    )
    checklist = services.checklist_create(actor=seir, venture=venture, template=None)
    item = services.checklist_item_add(
        actor=seir, checklist=checklist, section="Registrations", label="CQC registration"
    )
    services.evidence_add_link(actor=esther, item=item, url="https://example.org/cqc")
    services.checklist_item_move(actor=esther, item=item, to_status=ItemStatus.SUBMITTED)
    services.checklist_item_move(
        actor=seir, item=item, to_status=ItemStatus.RETURNED, comment=COMMENT
    )
    plan_factories.write(esther, venture, {"executive-summary": "A centre for women."})
    version = plan_factories.submit(esther, venture)
    plan_factories.review(seir, version, {"executive-summary": "Say who the centre serves."})
    return venture, item


def test_the_entrepreneur_sees_a_returned_item_with_the_comment_and_acts_on_it(
    page: Page, live_server, login, story
):
    venture, item = story

    # when the entrepreneur signs in
    login(page, live_server, "esther")

    # then My ventures lists what waits on them, the returned item first, with the comment
    expect(page).to_have_url(re.compile(r"/ventures/mine/$"))
    card = page.get_by_role("region", name=venture.name)
    asks = card.get_by_role("list", name="What is being asked of you").get_by_role("listitem")
    expect(asks).to_have_count(2)
    returned = asks.nth(0)
    expect(returned).to_contain_text("Returned")
    expect(returned).to_contain_text(f"Comment from Sam Seir: {COMMENT}")
    feedback = asks.nth(1)
    expect(feedback).to_contain_text("Read your SEiR's feedback on version 1 of the business plan")
    assert_accessible(page)

    # when they mark the feedback as read
    feedback.get_by_role("button", name=re.compile(r"^Mark as read")).click()

    # then they are back on My ventures, and only the returned item is left
    expect(page).to_have_url(re.compile(r"/ventures/mine/$"))
    expect(page.locator("#messages")).to_contain_text("Marked as read.")
    expect(asks).to_have_count(1)
    assert_accessible(page)

    # when they follow the returned item's link
    link_text = "“CQC registration” was returned: change it and submit it again"
    asks.nth(0).get_by_role("link", name=link_text).click()

    # then they are on the item, with the comment and the button to submit it again
    expect(page).to_have_url(re.compile(rf"/checklists/items/{item.pk}/$"))
    expect(page.get_by_role("heading", level=2, name="CQC registration")).to_be_visible()
    expect(page.locator("#status-note")).to_have_text(COMMENT)
    expect(page.get_by_role("button", name="Submit for review")).to_be_visible()
    assert_accessible(page)
