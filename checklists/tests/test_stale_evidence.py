"""Evidence sent from a page left open while the item moved on: a teammate submitted it,
the SEiR accepted it or removed it. Nothing is added, and the person is told why beside
the evidence, with what they tried to add named (before: the panel came back without
the upload and link forms, and without the reason, so the file silently went nowhere)."""

import pytest
from django.urls import reverse

from checklists import services
from checklists.factories import pdf_upload
from checklists.models import Evidence, ItemStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_by_teammate(item, teammate):
    """The item as the teammate left it: evidence added and submitted for review, while
    the entrepreneur's page still shows it in progress with the upload form."""
    services.evidence_add_file(actor=teammate, item=item, upload=pdf_upload("deed.pdf"))
    services.checklist_item_move(
        actor=teammate, item=item, to_status=ItemStatus.SUBMITTED, expected_status="in_progress"
    )
    return item


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain-post"])
def test_an_upload_to_an_item_submitted_meanwhile_says_why_it_was_not_added(
    htmx, client, entrepreneur, submitted_by_teammate, storage_names
):
    item = submitted_by_teammate
    before = storage_names()
    client.force_login(entrepreneur)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(
        reverse("checklists:evidence_upload", args=[item.pk]),
        {"upload-file": pdf_upload("accounts 2026.pdf", text="accounts")},
        **headers,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="evidence-errors"' in html
    assert (
        "“accounts 2026.pdf” was not added: Evidence cannot be added while the item is "
        "submitted for review." in html
    )
    assert list(Evidence.objects.filter(item=item).values_list("original_name", flat=True)) == [
        "deed.pdf"
    ]
    assert storage_names() == before


def test_a_link_to_an_item_accepted_meanwhile_is_named_so_it_is_not_lost(
    client, entrepreneur, seir, submitted_by_teammate
):
    item = submitted_by_teammate
    services.checklist_item_move(
        actor=seir, item=item, to_status=ItemStatus.ACCEPTED, expected_status="submitted"
    )
    client.force_login(entrepreneur)
    response = client.post(
        reverse("checklists:evidence_link", args=[item.pk]),
        {"link-url": "https://drive.example.org/accounts", "link-title": "Accounts"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert (
        "The link https://drive.example.org/accounts was not added: Evidence cannot be added "
        "while the item is accepted." in html
    )
    assert not Evidence.objects.filter(item=item, kind="link").exists()


def test_a_removed_item_offers_no_upload_and_says_why_a_stale_one_was_refused(
    client, entrepreneur, seir, item, storage_names
):
    services.checklist_item_remove(actor=seir, item=item, reason="Not needed for a CIC.")
    client.force_login(entrepreneur)
    page = client.get(reverse("checklists:item", args=[item.pk])).content.decode()
    assert "Upload a file" not in page
    assert "Add a link" not in page

    response = client.post(
        reverse("checklists:evidence_upload", args=[item.pk]),
        {"upload-file": pdf_upload("deed.pdf")},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "“deed.pdf” was not added: This item was removed from the checklist." in html
    assert "Upload a file" not in html
    assert not Evidence.objects.filter(item=item).exists()
    assert storage_names() == []


@pytest.mark.parametrize("kind", ["file", "link"])
def test_replacing_evidence_a_teammate_replaced_meanwhile_names_the_replacement(
    kind, client, entrepreneur, teammate, item, storage_names
):
    old = services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload("old.pdf"))
    services.evidence_add_file(
        actor=teammate, item=item, upload=pdf_upload("new.pdf", text="new"), replaces=old
    )
    before = (list(Evidence.objects.values_list("pk", "superseded_at")), storage_names())
    client.force_login(entrepreneur)
    if kind == "file":
        url = reverse("checklists:evidence_upload", args=[item.pk])
        data = {"upload-file": pdf_upload("mine.pdf", text="mine"), "upload-replaces": old.pk}
    else:
        url = reverse("checklists:evidence_link", args=[item.pk])
        data = {"link-url": "https://drive.example.org/mine", "link-replaces": old.pk}
    html = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "Select a valid choice" not in html
    assert "“old.pdf” was already replaced by “new.pdf” (Tom Mate): choose again what" in html
    if kind == "link":
        assert 'value="https://drive.example.org/mine"' in html  # what was typed is kept
    assert (list(Evidence.objects.values_list("pk", "superseded_at")), storage_names()) == before


def test_submitting_an_item_a_teammate_submitted_meanwhile_names_them(
    client, entrepreneur, submitted_by_teammate
):
    item = submitted_by_teammate
    client.force_login(entrepreneur)
    html = client.post(
        reverse("checklists:item_move", args=[item.pk]),
        {"to_status": "submitted", "expected_status": "in_progress"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "“Governing document” is already submitted for review: Tom Mate did it on " in html
    assert Evidence.objects.filter(item=item).count() == 1
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED
