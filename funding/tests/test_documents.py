"""Documents on funding applications: checked by content, private, never lost."""

from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from checklists.factories import ELF_BYTES, pdf_bytes, upload
from events.models import Event
from funding import services
from funding.models import Fund, FundingDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(seir, venture):
    return services.application_create(
        actor=seir,
        venture=venture,
        fund=Fund.objects.get(code="rif"),
        purpose="Pilot",
        amount_requested=Decimal("2500.00"),
    )


def post_file(client, application, name, content):
    return client.post(
        reverse("funding:document_upload", args=[application.pk]),
        {f"d{application.pk}-file": upload(name, content)},
    )


def stored_files():
    try:
        return default_storage.listdir("funding/documents")[1]
    except FileNotFoundError:
        return []


def test_the_team_attaches_a_pdf_and_downloads_it(client, entrepreneur, application):
    client.force_login(entrepreneur)
    response = post_file(client, application, "bid.pdf", pdf_bytes("Our bid"))
    assert response.status_code == 302
    document = FundingDocument.objects.get()
    assert (document.original_name, document.content_type) == ("bid.pdf", "application/pdf")
    assert Event.objects.filter(kind="funding.document_added").count() == 1
    download = client.get(reverse("funding:document", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="bid.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == pdf_bytes("Our bid")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bid.pdf", ELF_BYTES, "is named as a PDF file but its content is not"),
        ("bid.pdf", b"", "is empty"),
        ("run.exe", ELF_BYTES, "is not a file type we accept"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    client, entrepreneur, application, name, content, message
):
    client.force_login(entrepreneur)
    before = stored_files()
    response = post_file(client, application, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert FundingDocument.objects.count() == 0
    assert stored_files() == before


def test_the_same_file_twice_is_kept_once(client, entrepreneur, application):
    client.force_login(entrepreneur)
    post_file(client, application, "bid.pdf", pdf_bytes("Our bid"))
    response = post_file(client, application, "bid-again.pdf", pdf_bytes("Our bid"))
    assert response.status_code == 400
    assert "is already attached" in response.content.decode()
    assert FundingDocument.objects.count() == 1


@pytest.mark.parametrize("who", ["manager", "other_entrepreneur", "commissioner", "other_seir"])
def test_nobody_else_downloads_or_attaches(request, client, entrepreneur, who, application):
    client.force_login(entrepreneur)
    post_file(client, application, "bid.pdf", pdf_bytes("Our bid"))
    document = FundingDocument.objects.get()
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("funding:document", args=[document.pk])).status_code == 404
    refused = post_file(client, application, "other.pdf", pdf_bytes("Other"))
    assert refused.status_code in (403, 404)
    assert FundingDocument.objects.count() == 1


def test_anonymous_visitors_cannot_download(client, entrepreneur, application):
    client.force_login(entrepreneur)
    post_file(client, application, "bid.pdf", pdf_bytes("Our bid"))
    document = FundingDocument.objects.get()
    client.logout()
    response = client.get(reverse("funding:document", args=[document.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
