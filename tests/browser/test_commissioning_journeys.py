"""Browser journey through commissioning: the SEiR introduces a venture to a commissioner
from a matching priority and records it as introduced; the commissioner signs in, reads the
venture's profile on the introduction (none of the pipeline's pages open to them) and
agrees a meeting, proposing two dates; the SEiR sees the dates, records the meeting and
then a contract; the venture's gate shows the contract condition met. axe runs on every
page state."""

import datetime
import importlib
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from commissioning import services
from commissioning.factories import CommissionerFactory, ContactFactory
from commissioning.models import Contract, Introduction, OrganisationType, OutcomeDomain
from outcomes import services as outcome_services
from outcomes.models import OutcomeDomain as OutcomeIndicatorDomain
from tests.a11y import assert_accessible
from ventures.factories import VentureFactory

# See tests/browser/test_venture_journeys.py: live_server flushes the reference data the
# migrations made, so the fixture re-seeds it (idempotently) itself.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_venture_reference = importlib.import_module("ventures.migrations.0002_reference_data")
_commissioning_reference = importlib.import_module("commissioning.migrations.0002_reference_data")
_contract_gate = importlib.import_module("commissioning.migrations.0003_has_contract_gate")

VENTURE = "Breathe Easy Erdington"
PRIORITY = "Community COPD rehabilitation"


def label(text: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(text)}\*?$")


@pytest.fixture
def world():
    _venture_reference.seed(django_apps, None)
    _commissioning_reference.seed(django_apps, None)
    _contract_gate.add(django_apps, None)
    programme = ProgrammeFactory(name="Birmingham East")
    seir = member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    claire = member(
        programme, Role.COMMISSIONER, username="claire", first_name="Claire", last_name="Evans"
    )
    venture = VentureFactory(programme=programme, stage_code="pilot", name=VENTURE, seir=seir)
    VentureFactory(programme=programme, stage_code="idea", name="Unrelated Venture", seir=seir)
    ben = CommissionerFactory(
        name="BEN PCT", organisation_type=OrganisationType.objects.get(code="pct-icb")
    )
    ContactFactory(commissioner=ben, name="Claire Evans", role="Head of commissioning", user=claire)
    today = datetime.date.today()
    domain = OutcomeDomain.objects.get(number=2)
    priority = services.priority_create(
        actor=seir,
        commissioner=ben,
        title=PRIORITY,
        domain=domain,
        period_start=today - datetime.timedelta(days=30),
        period_end=today + datetime.timedelta(days=330),
    )
    services.window_add(
        actor=seir,
        priority=priority,
        opens=today - datetime.timedelta(days=5),
        closes=today + datetime.timedelta(days=30),
        route="pilot",
    )
    services.venture_focus_set(actor=seir, venture=venture, domains=[domain], service_areas=[])
    return SimpleNamespace(programme=programme, seir=seir, claire=claire, venture=venture)


def _indicator(world, name: str, *, shared: bool):
    domain, _ = OutcomeIndicatorDomain.objects.get_or_create(
        number=3, defaults={"name": "Helping people to recover from episodes of ill health"}
    )
    return outcome_services.indicator_add(
        actor=world.seir,
        venture=world.venture,
        domain=domain,
        name=name,
        unit="people",
        baseline=Decimal("0"),
        target=Decimal("40"),
        shared_with_commissioners=shared,
    )


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_introduction_from_a_priority_to_a_contract_that_meets_the_gate(
    page: Page, live_server, login, world
):
    venture = world.venture

    # --- the SEiR finds the venture from a matching priority and introduces it ---------
    login(page, live_server, "seir")
    page.get_by_role("link", name="Commissioning", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Commissioners")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="BEN PCT").click()
    expect(page.get_by_role("heading", level=1, name="BEN PCT")).to_be_visible()
    expect(page.get_by_text("Window open")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=PRIORITY).click()
    fits = page.locator("ul.matching-ventures > li")
    expect(fits).to_have_count(1)
    expect(fits).to_contain_text(VENTURE)
    expect(fits).to_contain_text("Same domain")
    assert_accessible(page)

    fits.get_by_role("link", name=f"Introduce {VENTURE}").click()
    expect(page.get_by_role("heading", level=1, name="Make an introduction")).to_be_visible()
    expect(page.get_by_role("combobox", name=label("Venture"))).to_have_value(str(venture.pk))
    expect(page.get_by_role("combobox", name=label("Priority it answers"))).to_have_value(
        str(Introduction._meta.get_field("priority").related_model.objects.get().pk)
    )
    expect(page.get_by_role("combobox", name=label("Commissioner contact"))).to_contain_text(
        "Claire Evans"
    )
    assert_accessible(page)
    page.get_by_role("textbox", name=label("Purpose")).fill("Pilot our COPD rehab service.")
    page.get_by_role("button", name="Make introduction").click()

    expect(page.locator("#messages")).to_contain_text(f"{VENTURE} was introduced to Claire Evans")
    expect(page.locator("#current-step")).to_have_text("Requested")
    assert_accessible(page)
    introduction = Introduction.objects.get()
    assert (introduction.venture_id, introduction.made_by_id, introduction.step) == (
        venture.pk,
        world.seir.pk,
        "requested",
    )

    # the SEiR records the introduction as made (before issue 16, the commissioner could
    # then only decline)
    page.get_by_role("combobox", name=label("Next step")).select_option(label="Introduced")
    page.get_by_role("button", name="Record step").click()
    expect(page.locator("#current-step")).to_have_text("Introduced")

    # the team shares one outcome indicator with the commissioners it is introduced to
    shared = _indicator(world, "Readmissions avoided", shared=True)
    outcome_services.measurement_record(
        actor=world.seir,
        indicator=shared,
        measured_on=datetime.date(2026, 11, 1),
        value=Decimal("12"),
    )
    _indicator(world, "Internal cost per session", shared=False)

    # --- the commissioner signs in, reads it, and agrees a meeting with two dates -----
    sign_out(page)
    login(page, live_server, "claire")
    expect(page).to_have_url(re.compile(r"/commissioning/introductions/$"))
    expect(page.get_by_role("link", name="Introductions", exact=True)).to_be_visible()
    introduced = page.locator("section.pipeline-step[data-step='introduced']")
    expect(introduced.locator("[data-count]")).to_have_text("1")
    assert_accessible(page)
    introduced.get_by_role("link", name=VENTURE).click()
    expect(page.get_by_role("heading", name="Your response")).to_be_visible()
    # the venture's profile is on the introduction; its own pages are not theirs
    expect(page.locator("#venture-summary")).to_be_visible()
    outcomes = page.get_by_role("region", name="Outcomes the team shares")
    expect(outcomes.get_by_role("row", name=re.compile("Readmissions avoided"))).to_contain_text(
        "12 on 1 Nov 2026"
    )
    expect(outcomes).not_to_contain_text("Internal cost per session")
    expect(page.get_by_role("link", name=VENTURE, exact=True)).to_have_count(0)
    assert_accessible(page)
    for path in (
        "/ventures/board/",
        "/ventures/",
        "/ventures/export.csv",
        f"/ventures/{venture.pk}/",
    ):
        assert page.request.get(f"{live_server.url}{path}").status == 404, path

    first = datetime.date.today() + datetime.timedelta(days=14)
    second = datetime.date.today() + datetime.timedelta(days=7)
    page.get_by_role("radio", name="Agree a meeting").check()
    page.get_by_label("Proposed meeting date 1").fill(first.isoformat())
    page.get_by_label("Proposed meeting date 2 (optional)").fill(second.isoformat())
    page.get_by_role("textbox", name="Message or reason").fill("Either date suits us.")
    page.get_by_role("button", name="Send response").click()
    expect(page.locator("#messages")).to_contain_text("You agreed a meeting")
    expect(page.locator("#current-step")).to_have_text("Meeting agreed")
    assert_accessible(page)

    # --- the SEiR sees the proposed dates, records the meeting and then a contract -----
    sign_out(page)
    login(page, live_server, "seir")
    page.goto(f"{live_server.url}/commissioning/introductions/")
    agreed = page.locator("section.pipeline-step[data-step='meeting_agreed']")
    expect(agreed).to_contain_text(VENTURE)
    assert_accessible(page)
    agreed.get_by_role("link", name=VENTURE).click()
    dates = page.locator("#proposed-dates > li")
    expect(dates).to_have_count(2)
    expect(dates.nth(0)).to_have_text(f"{second:%A} {second.day} {second:%B %Y}")
    expect(dates.nth(1)).to_have_text(f"{first:%A} {first.day} {first:%B %Y}")
    expect(page.locator("ol.introduction-history > li")).to_have_count(3)
    assert_accessible(page)
    page.get_by_role("combobox", name=label("Next step")).select_option(label="Meeting held")
    page.get_by_role("textbox", name="Note").fill("Met Claire and the respiratory lead.")
    assert_accessible(page)
    page.get_by_role("button", name="Record step").click()
    expect(page.locator("#messages")).to_contain_text("Recorded: Meeting held.")
    expect(page.locator("#current-step")).to_have_text("Meeting held")
    assert_accessible(page)

    page.get_by_role("link", name="Record a contract").click()
    expect(page.get_by_role("combobox", name=label("Commissioner"))).to_have_value(
        str(introduction.commissioner_id)
    )
    assert_accessible(page)
    page.get_by_role("textbox", name=label("Service")).fill("Community COPD rehabilitation")
    page.get_by_role("textbox", name=label("Value (£)")).fill("£185,000")
    page.locator("#id_start_date").fill("2026-04-01")
    page.locator("#id_end_date").fill("2028-03-31")
    page.get_by_role("combobox", name=label("Status")).select_option(label="Signed")
    page.get_by_role("button", name="Record contract").click()

    expect(page.locator("#messages")).to_contain_text("Contract recorded")
    expect(page.locator("ul.venture-contracts")).to_contain_text("Community COPD rehabilitation")
    expect(page.locator("ul.venture-contracts")).to_contain_text("Signed")
    assert_accessible(page)
    contract = Contract.objects.get()
    assert (contract.value, contract.status, contract.introduction_id) == (
        185000,
        "signed",
        introduction.pk,
    )

    # --- the venture's gate shows the contract condition met ---------------------------
    page.get_by_role("link", name="Overview").click()
    condition = page.locator("li.gate-item").filter(has_text="Has a contract (signed or live)")
    expect(condition).to_have_class(re.compile(r"\bis-met\b"))
    expect(condition).to_contain_text("Evidence: Community COPD rehabilitation for BEN PCT")
    assert_accessible(page)
