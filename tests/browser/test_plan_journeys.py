"""Browser journeys through a venture's business plan.

An entrepreneur writes and submits a version, the SEiR gives feedback per section, the
entrepreneur revises, submits a second version and compares the two; and two people
editing one section at once. Same conventions as test_venture_journeys.py: Debian's
chromium against ``live_server``, axe on every page state, and ``people`` re-seeding the
reference data a flush removes (ventures' stages, then plans' template and gate).
"""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from plans import factories
from plans.models import BusinessPlan, DraftSection, PlanComment, PlanVersion
from tests.a11y import assert_accessible
from ventures.factories import VentureFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_ventures_data = importlib.import_module("ventures.migrations.0002_reference_data")
_plan_template = importlib.import_module("plans.migrations.0002_default_template")
_plan_gate = importlib.import_module("plans.migrations.0003_business_plan_gate")

SUMMARY_V1 = "Saheli runs sport for women in Balsall Heath. We open on Mondays."
SUMMARY_V2 = (
    "Saheli runs sport and dry-slope skiing for women in Balsall Heath. We open on Mondays."
)


@pytest.fixture
def people():
    _ventures_data.seed(django_apps, None)
    _plan_template.seed(django_apps, None)
    _plan_gate.forwards(django_apps, None)
    programme = ProgrammeFactory(name="Birmingham East")
    seir = member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    parveen = member(
        programme, Role.ENTREPRENEUR, username="parveen", first_name="Parveen", last_name="Akhtar"
    )
    venture = VentureFactory(
        programme=programme,
        stage_code="startup",
        name="Saheli Women's Centre",
        area="Balsall Heath",
        lead=parveen,
        seir=seir,
    )
    return SimpleNamespace(programme=programme, seir=seir, parveen=parveen, venture=venture)


def section(page: Page, code: str):
    return page.locator(f"#section-{code}")


def write_section(page: Page, code: str, title: str, text: str) -> None:
    """Open a draft section's editor in place (htmx), type, save, and wait for the result."""
    card = section(page, code)
    card.get_by_role("link", name=f"Edit {title}").click()
    editor = card.get_by_role("textbox", name=re.compile(rf"^\d+\. {re.escape(title)}$"))
    expect(editor).to_be_focused()
    assert_accessible(page)
    editor.fill(text)
    card.get_by_role("button", name=f"Save {title}").click()
    expect(section(page, code).get_by_role("status")).to_have_text("Saved.")
    expect(section(page, code).get_by_role("heading", level=3)).to_be_focused()


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def messages(page: Page):
    return page.locator("#messages")


@pytest.fixture
def csp_watched_page(new_context):
    """Another person's browser, held to the Content Security Policy like ``page`` is
    (tests/browser/conftest.py watches only ``page``)."""
    blocked: list[str] = []

    def make(**options) -> Page:
        other = new_context(**options).new_page()
        other.on(
            "console",
            lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
        )
        return other

    yield make
    assert blocked == [], "blocked by the Content Security Policy:\n" + "\n".join(blocked)


def test_entrepreneur_submits_seir_gives_feedback_entrepreneur_revises_and_compares(
    page, csp_watched_page, live_server, login, people
):
    venture = people.venture
    plan_url = f"{live_server.url}/ventures/{venture.pk}/plan/"

    # given the entrepreneur on their venture's page
    esther = page
    login(esther, live_server, "parveen")
    esther.goto(f"{live_server.url}/ventures/{venture.pk}/")

    # when they open the Business plan tab
    esther.get_by_role("link", name="Business plan").click()

    # then they see the 13 empty sections of the draft and can submit version 1
    expect(esther).to_have_url(plan_url)
    expect(esther.get_by_role("heading", level=2, name="Business plan")).to_be_visible()
    expect(esther.locator("article.plan-section")).to_have_count(13)
    expect(esther.get_by_text("0 of 13 sections written")).to_be_visible()
    esther.locator("#section-executive-summary details summary").click()
    expect(esther.locator("#section-executive-summary details")).to_contain_text("Write it last.")
    assert_accessible(esther)

    # when they write two sections, in place
    write_section(esther, "executive-summary", "Executive summary", SUMMARY_V1)
    write_section(
        esther,
        "financial-plan",
        "Financial plan",
        "| Year | Income |\n|---|---|\n| 1 | £34,000 |",
    )

    # then the text shows rendered (the Markdown table is a table)
    expect(section(esther, "executive-summary").locator(".plan-text")).to_have_text(SUMMARY_V1)
    expect(section(esther, "financial-plan").locator("table td").nth(1)).to_have_text("£34,000")
    assert_accessible(esther)

    # when they reload and submit version 1 with a note
    esther.goto(plan_url)
    expect(esther.get_by_text("2 of 13 sections written")).to_be_visible()
    esther.get_by_role("textbox", name="Note for the SEiR (optional)").fill("First go.")
    esther.get_by_role("button", name="Submit version 1").click()

    # then they see version 1, submitted
    expect(esther).to_have_url(re.compile(rf"/ventures/{venture.pk}/plan/versions/1/$"))
    expect(messages(esther)).to_contain_text("Version 1 was submitted to the SEiR for feedback.")
    expect(esther.locator(".plan-status").first).to_have_text("Submitted")
    expect(esther.get_by_role("button", name="Mark feedback given")).to_have_count(0)
    assert_accessible(esther)

    # when the SEiR opens version 1 in their own browser
    seir = csp_watched_page()
    login(seir, live_server, "seir")
    seir.goto(plan_url)
    assert_accessible(seir)
    seir.get_by_role("link", name="Version 1").click()
    expect(seir.get_by_role("heading", name="Business plan version 1")).to_be_visible()
    expect(seir.get_by_text("Note from the team: First go.")).to_be_visible()
    assert_accessible(seir)

    # and writes feedback beside the executive summary, then marks feedback given
    seir.get_by_role("textbox", name="Feedback on Executive summary").fill(
        "Mention the skiing: it is what people remember."
    )
    seir.get_by_role("button", name="Add feedback on Executive summary").click()
    expect(messages(seir)).to_contain_text("Feedback saved.")
    expect(section(seir, "executive-summary").locator(".plan-comment")).to_contain_text(
        "Mention the skiing"
    )
    assert_accessible(seir)
    seir.get_by_role("button", name="Mark feedback given").click()
    expect(messages(seir)).to_contain_text("the team can now see your feedback")
    expect(seir.locator(".plan-status").first).to_have_text("Feedback given")
    assert_accessible(seir)

    # then the entrepreneur sees the feedback next to the section
    esther.reload()
    expect(esther.locator(".plan-status").first).to_have_text("Feedback given")
    expect(section(esther, "executive-summary").locator(".plan-comment")).to_contain_text(
        "Mention the skiing: it is what people remember."
    )
    expect(section(esther, "financial-plan")).to_contain_text("No feedback.")
    assert_accessible(esther)

    # and in the print view, with the feedback under its section
    esther.get_by_role("link", name="Print view").click()
    expect(esther.get_by_role("heading", level=1)).to_have_text(
        "Saheli Women's Centre: business plan, version 1"
    )
    expect(esther.locator(".plan-print-feedback")).to_contain_text("Mention the skiing")
    expect(esther.get_by_role("button", name="Print")).to_be_visible()
    assert_accessible(esther)
    esther.get_by_role("link", name="Back to version 1").click()

    # when they revise the summary and submit version 2
    esther.goto(plan_url)
    write_section(esther, "executive-summary", "Executive summary", SUMMARY_V2)
    expect(section(esther, "executive-summary")).to_contain_text("Changed since the last version")
    esther.goto(plan_url)
    expect(esther.get_by_text("1 section changed since version 1.")).to_be_visible()
    esther.get_by_role("button", name="Submit version 2").click()
    expect(messages(esther)).to_contain_text("Version 2 was submitted")
    assert_accessible(esther)

    # and compare the two versions from the plan page
    esther.goto(plan_url)
    expect(esther.get_by_role("combobox", name="Older")).to_have_value("1")
    expect(esther.get_by_role("combobox", name="Newer")).to_have_value("2")
    esther.get_by_role("button", name="Compare").click()

    # then the inserted words are highlighted, said in words too, and unchanged sections folded
    expect(esther).to_have_url(re.compile(r"/plan/compare/\?a=1&b=2$"))
    expect(esther.locator("#compare-summary")).to_contain_text(
        "From version 1 to version 2: 1 section changed, 13 in all."
    )
    changed = esther.locator("section.diff-section.is-changed")
    expect(changed).to_have_count(1)
    expect(changed.get_by_role("heading")).to_contain_text("1. Executive summary")
    expect(changed.locator("ins.diff-ins")).to_have_text(["[inserted:  and dry-slope skiing]"])
    expect(changed.locator("del.diff-del")).to_have_count(0)
    expect(esther.locator("details.diff-section.is-unchanged")).to_have_count(12)
    assert_accessible(esther)
    esther.locator("details.diff-section.is-unchanged summary").filter(
        has_text="Financial plan"
    ).click()
    expect(esther.locator("details[open]")).to_contain_text("£34,000")
    # rendered, not raw Markdown (issue 16, item 11): a table, no pipes
    expect(esther.locator("details[open] table td").nth(1)).to_have_text("£34,000")
    expect(esther.locator("details[open]")).not_to_contain_text("|")
    assert_accessible(esther)

    # and the data agrees
    plan = BusinessPlan.objects.get(venture=venture)
    assert (plan.status, plan.latest_number) == ("submitted", 2)
    assert dict(PlanVersion.objects.filter(plan=plan).values_list("number", "review__status")) == {
        1: "feedback_given",
        2: "submitted",
    }
    assert PlanComment.objects.filter(version__plan=plan).count() == 1


def test_two_people_editing_one_section_see_a_conflict_and_lose_nothing(
    page, csp_watched_page, live_server, login, people
):
    venture = people.venture
    plan_url = f"{live_server.url}/ventures/{venture.pk}/plan/"
    seir, esther = csp_watched_page(), page
    login(seir, live_server, "seir")
    login(esther, live_server, "parveen")
    for p in (seir, esther):
        p.goto(plan_url)
        section(p, "risks").get_by_role("link", name="Edit Risks").click()
        expect(section(p, "risks").get_by_role("textbox", name="11. Risks")).to_be_visible()

    # when the SEiR saves first, then the entrepreneur saves from the same starting point
    section(seir, "risks").get_by_role("textbox", name="11. Risks").fill("The hall lease ends.")
    section(seir, "risks").get_by_role("button", name="Save Risks").click()
    expect(section(seir, "risks").get_by_role("status")).to_have_text("Saved.")
    mine = section(esther, "risks").get_by_role("textbox", name="11. Risks")
    mine.fill("Volunteers may leave.")
    section(esther, "risks").get_by_role("button", name="Save Risks").click()

    # then the entrepreneur is told, keeps their text and sees the SEiR's
    expect(section(esther, "risks").get_by_role("alert")).to_contain_text(
        "Sam Seir saved this section while you were editing it"
    )
    expect(
        section(esther, "risks").get_by_role("textbox", name="Your text", exact=True)
    ).to_have_value("Volunteers may leave.")
    expect(
        section(esther, "risks").get_by_role(
            "textbox", name="Their saved text (copy what you need from it)"
        )
    ).to_have_value("The hall lease ends.")
    assert_accessible(esther)
    assert DraftSection.objects.get(section__code="risks").body == "The hall lease ends."

    # when they merge and save again
    section(esther, "risks").get_by_role("textbox", name="Your text", exact=True).fill(
        "The hall lease ends.\n\nVolunteers may leave."
    )
    section(esther, "risks").get_by_role("button", name="Save Risks").click()

    # then both texts are saved
    expect(section(esther, "risks").get_by_role("status")).to_have_text("Saved.")
    assert_accessible(esther)
    assert DraftSection.objects.get(section__code="risks").body == (
        "The hall lease ends.\n\nVolunteers may leave."
    )


def test_on_a_phone_an_entrepreneur_edits_a_section_and_submits_with_one_click(
    csp_watched_page, live_server, login, people
):
    """Issue 16, item 1: Save in place, then "Submit version 1" on the same page works at
    the first click (the inline save updated the form's revision)."""
    venture = people.venture
    factories.write(people.parveen, venture, {"team": "Parveen leads."})
    phone = csp_watched_page(**PHONE)
    login(phone, live_server, "parveen")
    phone.goto(f"{live_server.url}/ventures/{venture.pk}/plan/")

    # when they edit a section in place, save, and click Submit once
    write_section(phone, "executive-summary", "Executive summary", SUMMARY_V1)
    phone.get_by_role("button", name="Submit version 1").click()

    # then version 1 is submitted, with the text just saved
    expect(phone).to_have_url(re.compile(rf"/ventures/{venture.pk}/plan/versions/1/$"))
    expect(messages(phone)).to_contain_text("Version 1 was submitted to the SEiR for feedback.")
    assert_accessible(phone)
    version = PlanVersion.objects.get(plan__venture=venture)
    assert version.sections.get(code="executive-summary").body == SUMMARY_V1


def test_on_a_phone_a_real_conflict_is_refused_where_the_person_is(
    csp_watched_page, live_server, login, people
):
    venture = people.venture
    factories.write(people.parveen, venture, {"team": "Parveen leads."})
    phone = csp_watched_page(**PHONE)
    login(phone, live_server, "parveen")
    phone.goto(f"{live_server.url}/ventures/{venture.pk}/plan/")

    # given the SEiR saves a section after the entrepreneur opened the page
    factories.write(people.seir, venture, {"risks": "The hall lease ends."})

    # when the entrepreneur saves a section in place and clicks Submit
    write_section(phone, "executive-summary", "Executive summary", SUMMARY_V1)
    phone.get_by_role("button", name="Submit version 1").click()

    # then they are told why, in the submit form, focused and on screen; nothing submitted
    refusal = phone.locator("#submit").get_by_role("alert")
    expect(refusal).to_contain_text("The draft has been changed since you opened this page.")
    expect(refusal).to_be_focused()
    expect(refusal).to_be_in_viewport()
    expect(phone.locator("#section-risks")).to_contain_text("The hall lease ends.")
    assert_accessible(phone)
    assert not PlanVersion.objects.exists()

    # and having seen the draft as it is, one more click submits it
    phone.get_by_role("button", name="Submit version 1").click()
    expect(messages(phone)).to_contain_text("Version 1 was submitted to the SEiR for feedback.")
    assert PlanVersion.objects.get().sections.get(code="risks").body == "The hall lease ends."


def test_entrepreneur_reads_feedback_on_the_plan_page_and_replies(
    page, csp_watched_page, live_server, login, people
):
    """Issue 16, item 3: the SEiR's feedback is on the plan page, and the team replies."""
    venture = people.venture
    factories.write(people.parveen, venture, {"financial-plan": "| Year | Income |\n|---|---|"})
    version = factories.submit(people.parveen, venture)
    factories.review(people.seir, version, {"financial-plan": "Where does year 2 come from?"})

    # given the entrepreneur on the plan page
    login(page, live_server, "parveen")
    page.goto(f"{live_server.url}/ventures/{venture.pk}/plan/")
    feedback = page.locator("#feedback")
    expect(feedback.get_by_role("heading", level=2)).to_have_text("SEiR feedback on version 1")
    expect(feedback.get_by_role("heading", level=3)).to_have_text("Financial plan")
    expect(feedback.locator(".plan-comment")).to_contain_text("Where does year 2 come from?")
    assert_accessible(page)

    # when they reply to the comment
    feedback.locator("details.plan-reply-form > summary").click()
    feedback.get_by_role("textbox", name="Your reply to feedback on Financial plan").fill(
        "From the council grant."
    )
    assert_accessible(page)
    feedback.get_by_role("button", name="Send reply to feedback on Financial plan").click()

    # then the reply is saved and shown under the comment, attributed
    expect(messages(page)).to_contain_text("Reply saved.")
    reply = page.locator("#feedback .plan-reply")
    expect(reply).to_have_count(1)
    expect(reply).to_contain_text("From the council grant.")
    expect(reply).to_contain_text("Reply from Parveen Akhtar")
    assert_accessible(page)

    # and the SEiR sees it threaded under their comment on the version page
    seir = csp_watched_page()
    login(seir, live_server, "seir")
    seir.goto(f"{live_server.url}/ventures/{venture.pk}/plan/versions/1/")
    expect(section(seir, "financial-plan").locator(".plan-reply")).to_contain_text(
        "From the council grant."
    )
    assert_accessible(seir)
    assert PlanComment.objects.get().replies.get().author == people.parveen
