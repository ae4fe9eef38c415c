"""Evidence uploads: stored privately under random names, refused uploads leave nothing,
a failed upload never loses what was there, replaced files stay in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from checklists import services
from checklists.factories import ELF_BYTES, pdf_bytes, pdf_upload, upload
from checklists.models import Evidence, ItemStatus
from checklists.selectors import item_history
from events.models import Event

pytestmark = pytest.mark.django_db


def state(item):
    item.refresh_from_db()
    return (
        item.status,
        list(Evidence.objects.filter(item=item).values_list("pk", "superseded_at")),
        len(item_history(item=item)),
        Event.objects.count(),
    )


def test_a_file_is_stored_under_a_random_name_with_who_and_when(item, entrepreneur, storage_names):
    evidence = services.evidence_add_file(
        actor=entrepreneur, item=item, upload=pdf_upload("Our Articles.pdf")
    )

    assert evidence.original_name == "Our Articles.pdf"
    assert evidence.file.name.startswith("checklists/evidence/")
    assert "Articles" not in evidence.file.name
    assert evidence.file.name.endswith(".pdf")
    assert storage_names() == [evidence.file.name.rsplit("/", 1)[1]]
    assert (evidence.uploaded_by, evidence.content_type, evidence.size) == (
        entrepreneur,
        "application/pdf",
        len(pdf_bytes()),
    )
    assert len(evidence.sha256) == 64
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS  # adding evidence starts the work
    assert (
        Event.objects.filter(kind="checklist.evidence_added", subject_id=str(item.pk)).count() == 1
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("invoice.pdf", ELF_BYTES), ("empty.pdf", b""), ("big.pdf", pdf_bytes() + b"%" * 5000)],
    ids=["renamed-executable", "empty", "oversized"],
)
def test_refused_uploads_save_nothing(name, content, item, entrepreneur, storage_names, settings):
    settings.SEIR_UPLOAD_MAX_BYTES = 4000
    before = state(item)
    with pytest.raises(ValidationError):
        services.evidence_add_file(actor=entrepreneur, item=item, upload=upload(name, content))
    assert state(item) == before
    assert storage_names() == []


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("invoice.pdf", ELF_BYTES, "named as a PDF file but its content is not"),
        ("empty.pdf", b"", "is empty"),
        ("big.pdf", pdf_bytes() + b"%" * 5000, "files can be at most"),
    ],
    ids=["renamed-executable", "empty", "oversized"],
)
def test_refused_uploads_through_the_page_show_the_error_by_the_field(
    name, content, error, client, item, entrepreneur, storage_names, settings
):
    settings.SEIR_UPLOAD_MAX_BYTES = 4000
    services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload("kept.pdf"))
    before = state(item)
    client.force_login(entrepreneur)

    response = client.post(
        reverse("checklists:evidence_upload", args=[item.pk]),
        {"upload-file": upload(name, content)},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error_1_id_upload-file"' in html
    assert error in html
    assert state(item) == before
    assert len(storage_names()) == 1
    assert "kept.pdf" in html  # what was there is still listed


def test_a_failed_replacement_keeps_the_existing_evidence(item, entrepreneur, storage_names):
    kept = services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload("kept.pdf"))
    before = state(item)
    with pytest.raises(ValidationError):
        services.evidence_add_file(
            actor=entrepreneur, item=item, upload=upload("new.pdf", ELF_BYTES), replaces=kept
        )
    assert state(item) == before
    kept.refresh_from_db()
    assert kept.is_current
    assert default_storage.exists(kept.file.name)
    assert len(storage_names()) == 1


def test_a_database_failure_after_storing_removes_the_file_again(
    item, entrepreneur, storage_names, monkeypatch
):
    kept = services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload("kept.pdf"))
    before = state(item)

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("checklists.services.evidence.event_record", fail)
    with pytest.raises(RuntimeError):
        services.evidence_add_file(
            actor=entrepreneur, item=item, upload=pdf_upload("new.pdf", "New"), replaces=kept
        )

    assert state(item) == before
    assert storage_names() == [kept.file.name.rsplit("/", 1)[1]]
    kept.refresh_from_db()
    assert kept.is_current


def test_a_replaced_file_stays_in_the_items_history(client, item, entrepreneur, storage_names):
    first = services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload("v1.pdf"))
    second = services.evidence_add_file(
        actor=entrepreneur, item=item, upload=pdf_upload("v2.pdf", "v2"), replaces=first
    )

    first.refresh_from_db()
    assert (first.superseded_by, first.is_current, second.is_current) == (second, False, True)
    assert len(storage_names()) == 2
    event = Event.objects.filter(kind="checklist.evidence_added").order_by("id").last()
    assert (event.data["name"], event.data["replaces"]) == ("v2.pdf", "v1.pdf")
    client.force_login(entrepreneur)
    html = client.get(reverse("checklists:item", args=[item.pk])).content.decode()
    assert "Replaced evidence (1)" in html
    # the old file can still be downloaded from the history
    assert client.get(reverse("checklists:evidence_download", args=[first.pk])).status_code == 200
    with pytest.raises(ValidationError, match="already replaced"):
        services.evidence_add_file(
            actor=entrepreneur, item=item, upload=pdf_upload("v3.pdf", "v3"), replaces=first
        )


def test_evidence_of_another_item_cannot_be_replaced(checklist, item, entrepreneur):
    other = checklist.items.exclude(pk=item.pk).first()
    theirs = services.evidence_add_file(actor=entrepreneur, item=other, upload=pdf_upload())
    with pytest.raises(ValidationError, match="another item"):
        services.evidence_add_file(
            actor=entrepreneur, item=item, upload=pdf_upload(), replaces=theirs
        )


def test_links_need_a_web_address(item, entrepreneur):
    with pytest.raises(ValidationError):
        services.evidence_add_link(actor=entrepreneur, item=item, url="javascript:alert(1)")
    link = services.evidence_add_link(
        actor=entrepreneur, item=item, url="https://example.org/x", title="Minutes"
    )
    assert (link.kind, link.display_name) == ("link", "Minutes")


def test_no_evidence_while_submitted_or_accepted(item, entrepreneur, storage_names):
    services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload())
    services.checklist_item_move(actor=entrepreneur, item=item, to_status=ItemStatus.SUBMITTED)
    before = state(item)
    with pytest.raises(services.ChecklistError, match="while the item is submitted"):
        services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload())
    assert state(item) == before
    assert len(storage_names()) == 1


@pytest.mark.parametrize("who", ["manager", "commissioner", "outsider", "other_seir"])
def test_only_the_team_and_staff_add_evidence(who, request, item, storage_names):
    with pytest.raises(PermissionDenied):
        services.evidence_add_file(
            actor=request.getfixturevalue(who), item=item, upload=pdf_upload()
        )
    assert storage_names() == []
    assert not Evidence.objects.exists()


def test_the_same_file_twice_is_kept_once(client, item, entrepreneur, storage_names):
    services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload("deed.pdf"))
    before = state(item)
    client.force_login(entrepreneur)
    response = client.post(
        reverse("checklists:evidence_upload", args=[item.pk]),
        {"upload-file": pdf_upload("deed.pdf")},
    )
    assert "“deed.pdf” is already attached to this item." in response.content.decode()
    assert state(item) == before
    assert len(storage_names()) == 1


def test_the_same_link_twice_is_kept_once(client, item, entrepreneur):
    # given: the team adds a link
    client.force_login(entrepreneur)
    url = reverse("checklists:evidence_link", args=[item.pk])
    data = {"link-url": "https://example.org/governing-document", "link-title": "Articles"}
    assert client.post(url, data).status_code == 302
    events = Event.objects.count()

    # when: the same form is sent again (a double click, or Back and resend)
    response = client.post(url, data)

    # then: one link, one event, and the second post says why
    assert response.status_code == 200
    assert "That link is already attached to this item." in response.content.decode()
    assert list(Evidence.objects.filter(item=item).values_list("url", flat=True)) == [
        "https://example.org/governing-document"
    ]
    assert Event.objects.count() == events
