"""Browser journeys: a plan section saved in place after the person's session ended, or
from a page drawn before their last sign-in, keeps what was typed and saves once they
are signed in again (seir.signed_out, static/js/seir.js). Same conventions as
test_plan_journeys.py, whose people and helpers these use."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import DraftSection
from tests.a11y import assert_accessible
from tests.browser.test_plan_journeys import PHONE, csp_watched_page, messages, people, section

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

__all__ = ["csp_watched_page", "people"]  # fixtures, used by name


def test_on_a_phone_a_section_saved_after_being_signed_out_keeps_the_text(
    csp_watched_page, live_server, login, people
):
    """Before: the in-place save was redirected to the sign-in page, which htmx swapped
    in where the section's editor was: the text typed was gone."""
    venture = people.venture
    text = "The hall lease ends in 2027; we are talking to the school about its gym."
    phone = csp_watched_page(**PHONE)
    login(phone, live_server, "parveen")
    phone.goto(f"{live_server.url}/ventures/{venture.pk}/plan/")
    card = section(phone, "risks")
    card.get_by_role("link", name="Edit Risks").click()
    editor = card.get_by_role("textbox", name=re.compile(r"^\d+\. Risks$"))
    editor.fill(text)

    # when their session ended meanwhile (signed out in another tab, say) and press Save
    phone.context.clear_cookies(name="sessionid")
    card.get_by_role("button", name="Save Risks").click()

    # then the page says so, and the editor still holds what they typed
    expect(phone.locator("#signed-out")).to_contain_text(
        "You have been signed out, so nothing was saved. What you typed is still on this page."
    )
    expect(editor).to_have_value(text)
    assert_accessible(phone)
    assert not DraftSection.objects.exists()

    # and once signed in again in a new tab, back here, the same Save saves it
    other = phone.context.new_page()
    login(other, live_server, "parveen")
    other.close()
    phone.bring_to_front()
    phone.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(messages(phone)).to_contain_text("You are signed in again.")
    card.get_by_role("button", name="Save Risks").click()
    expect(section(phone, "risks").get_by_role("status")).to_have_text("Saved.")
    assert DraftSection.objects.get(section__code="risks").body == text


def test_a_section_saved_from_a_page_older_than_the_last_sign_in_keeps_the_text(
    csp_watched_page, live_server, login, people
):
    """Signed out and in again in another tab (which rotates the CSRF token), then Save
    on the older page. Before: 'Sorry, that did not work (error 403). Reload the page',
    and reloading lost the text."""
    venture = people.venture
    text = "Volunteers may leave; two more are being trained this spring."
    page = csp_watched_page(**PHONE)
    login(page, live_server, "parveen")
    page.goto(f"{live_server.url}/ventures/{venture.pk}/plan/")
    card = section(page, "risks")
    card.get_by_role("link", name="Edit Risks").click()
    editor = card.get_by_role("textbox", name=re.compile(r"^\d+\. Risks$"))
    editor.fill(text)
    page.context.clear_cookies(name="sessionid")
    other = page.context.new_page()
    login(other, live_server, "parveen")
    other.close()

    card.get_by_role("button", name="Save Risks").click()

    expect(messages(page)).to_contain_text(
        "This page was older than your last sign-in, so nothing was saved. It is up to date now"
    )
    expect(editor).to_have_value(text)
    assert not DraftSection.objects.exists()
    card.get_by_role("button", name="Save Risks").click()
    expect(section(page, "risks").get_by_role("status")).to_have_text("Saved.")
    assert DraftSection.objects.get(section__code="risks").body == text
