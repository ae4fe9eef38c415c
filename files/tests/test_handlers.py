"""Oversized uploads are cut off while they stream in, and reported with their real size."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from checklists import services
from checklists.factories import pdf_bytes
from checklists.models import Evidence
from files.handlers import OversizedUpload, SizeLimitUploadHandler


def test_the_handler_passes_chunks_until_the_limit_then_nothing(settings):
    settings.SEIR_UPLOAD_MAX_BYTES = 10
    handler = SizeLimitUploadHandler()
    handler.new_file("upload-file", "big.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"x" * 6, 0) == b"x" * 6
    assert handler.receive_data_chunk(b"x" * 6, 6) is None
    assert handler.receive_data_chunk(b"x" * 6, 12) is None
    placeholder = handler.file_complete(18)
    assert isinstance(placeholder, OversizedUpload)
    assert (placeholder.name, placeholder.size, placeholder.read()) == ("big.pdf", 18, b"")


def test_a_file_within_the_limit_is_left_to_the_next_handler(settings):
    settings.SEIR_UPLOAD_MAX_BYTES = 10
    handler = SizeLimitUploadHandler()
    handler.new_file("upload-file", "ok.txt", "text/plain", None)
    assert handler.receive_data_chunk(b"x" * 10, 0) == b"x" * 10
    assert handler.file_complete(10) is None


@pytest.mark.django_db
def test_an_oversized_upload_through_the_page_is_refused_with_its_size(client, settings):
    from accounts.factories import ProgrammeFactory, member
    from accounts.roles import Role
    from checklists.models import ChecklistTemplate
    from ventures.factories import VentureFactory

    settings.STORAGES = {**settings.STORAGES}
    settings.SEIR_UPLOAD_MAX_BYTES = 100_000
    programme = ProgrammeFactory()
    seir = member(programme, Role.SEIR, username="seir")
    venture = VentureFactory(programme=programme, stage_code="startup", seir=seir)
    checklist = services.checklist_create(
        actor=seir, venture=venture, template=ChecklistTemplate.objects.get(code="default")
    )
    item = checklist.items.first()
    client.force_login(seir)
    big = pdf_bytes() + b"%" * 300_000

    response = client.post(
        reverse("checklists:evidence_upload", args=[item.pk]),
        {"upload-file": SimpleUploadedFile("big.pdf", big, "application/pdf")},
    )

    assert response.status_code == 200
    assert "“big.pdf” is 293.5\xa0KB; files can be at most 97.7\xa0KB." in response.content.decode()
    assert not Evidence.objects.exists()
