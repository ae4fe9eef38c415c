"""Browser journey through the scouting directory (issue 16 items 4 and 5): an import
with a flagged row where the SEiR chooses what happens to it, then the possible-duplicates
list worked through with a side-by-side merge and its confirmation.

axe runs on every distinct page state.
"""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from scouting.factories import OrganisationFactory, PersonFactory
from scouting.models import MergeRecord, Person, Sector
from tests.a11y import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_venture_reference = importlib.import_module("ventures.migrations.0002_reference_data")
_scouting_reference = importlib.import_module("scouting.migrations.0002_default_tags")

CSV = (
    "name,organisation,job_title,email,phone\n"
    "Aaron Ford,Saheli Women's Group,Trustee,aaron@example.org,07700 900 123\n"
    "Beth Cole,,,beth@example.org,\n"
)


@pytest.fixture
def world():
    _venture_reference.seed(django_apps, None)
    _scouting_reference.add_tags(django_apps, None)
    programme = ProgrammeFactory(name="Birmingham East")
    member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    saheli = OrganisationFactory(
        programme=programme, name="Saheli Women's Group", sector=Sector.COMMUNITY_GROUP
    )
    aaron = PersonFactory(
        programme=programme,
        name="Aaron Ford",
        organisation=saheli,
        email="aaron@example.org",
        job_title="Volunteer",
        phone="0121 000 1111",
        notes="",
    )
    other = PersonFactory(
        programme=programme,
        name="A. Ford",
        organisation=None,
        email="aaron@example.org",
        job_title="",
        phone="07700 900 999",
        notes="",
    )
    return aaron, other


def test_seir_imports_with_a_flagged_row_then_merges_the_duplicates(
    page: Page, live_server, login, world
):
    aaron, other = world
    login(page, live_server, "seir")

    # The SEiR uploads a file in which Aaron Ford is already in the directory.
    page.goto(f"{live_server.url}/scouting/import/")
    assert_accessible(page)
    page.get_by_label("People", exact=True).check()
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_role("button", name="Check the file").click()

    # The flagged row offers skip (chosen), update or add; the new row will be added.
    row = page.locator("#choice-2")
    expect(row).to_contain_text("Possible duplicate of Aaron Ford (same email)")
    expect(row.get_by_label("Skip this row")).to_be_checked()
    assert_accessible(page)
    row.get_by_label(re.compile(rf"^Update Aaron Ford \(record {aaron.pk},")).check()
    row.get_by_label("Phone: 07700 900 123").uncheck()  # only the job title
    page.get_by_role("button", name="Import as chosen").click()

    expect(page.get_by_text("Import of people done: added 1, updated 1.")).to_be_visible()
    aaron.refresh_from_db()
    assert (aaron.job_title, aaron.phone) == ("Trustee", "0121 000 1111")
    assert Person.objects.filter(email="aaron@example.org").count() == 2

    # Then works through the possible duplicates: Aaron Ford and A. Ford.
    page.get_by_role("link", name="Possible duplicates").click()
    expect(page.get_by_role("heading", name="Possible duplicates", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Compare Aaron Ford and A. Ford").click()

    # Side by side: the SEiR keeps the other record's phone, then reviews.
    expect(page.get_by_role("heading", name="Compare Aaron Ford and A. Ford")).to_be_visible()
    assert_accessible(page)
    page.locator("#pick-phone-removed").check()
    page.get_by_role("button", name="Review the merge").click()
    expect(page.get_by_role("heading", name="Confirm the merge")).to_be_visible()
    expect(page.locator("#merge-result")).to_contain_text("07700 900 999")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Merge record")).click()

    # The record that stays explains what came from where.
    expect(page.get_by_role("heading", name="Aaron Ford", level=1)).to_be_visible()
    expect(page.locator("#merges")).to_contain_text(f"record {other.pk} (A. Ford)")
    assert_accessible(page)
    aaron.refresh_from_db()
    assert (aaron.job_title, aaron.phone) == ("Trustee", "07700 900 999")
    assert not Person.objects.filter(pk=other.pk).exists()
    assert MergeRecord.objects.get().fields["phone"]["from"] == "removed"

    # Nothing left to work through.
    page.get_by_role("link", name="Possible duplicates").click()
    expect(page.get_by_text("No likely duplicates among people.")).to_be_visible()


def test_on_a_phone_the_comparison_shows_both_records_without_scrolling_sideways(
    page: Page, live_server, login, world
):
    # given two possible duplicates, and a SEiR on a phone
    aaron, other = world
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "seir")

    # when they open the side-by-side comparison
    page.goto(f"{live_server.url}/scouting/people/{aaron.pk}/merge/?other={other.pk}")
    expect(page.get_by_role("heading", name="Compare Aaron Ford and A. Ford")).to_be_visible()

    # then nothing scrolls sideways, and each choice says which record it comes from
    overflowing = page.evaluate(
        """() => [document.documentElement, ...document.querySelectorAll('.table-responsive')]
              .filter(el => el.scrollWidth > el.clientWidth + 1).length"""
    )
    assert overflowing == 0
    removed = page.locator("#pick-phone-removed")
    box = removed.bounding_box()
    assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= 390
    cell = page.locator("td", has=removed)
    assert cell.evaluate("el => getComputedStyle(el, '::before').content") == (
        f'"Record {other.pk} (merged in): "'
    )
    removed.check()
    assert_accessible(page)
