"""Upload validation: size, name and content must agree."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from checklists.factories import ELF_BYTES, pdf_bytes, png_bytes
from files.validation import clean_filename, validate_upload


def up(name, content):
    return SimpleUploadedFile(name, content)


def zipped(members: dict[str, bytes], first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(first, members.pop(first), compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zipped(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"},
    first="mimetype",
)
ODS = zipped(
    {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office/>"},
    first="mimetype",
)
JPEG = (
    bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb0043") + b"\x08" * 64 + b"\xff\xd9"
)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Certificate.PDF", pdf_bytes(), "application/pdf"),
        (
            "policy.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "forecast.xlsx",
            XLSX,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("policy.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("forecast.ods", ODS, "application/vnd.oasis.opendocument.spreadsheet"),
        ("photo.png", png_bytes(), "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("indicators.csv", b"date,people\n2026-01-01,12\n", "text/csv"),
        ("notes.txt", "Réunion à 10h — ok\n".encode(), "text/plain"),
    ],
)
def test_allowed_types_pass_and_are_served_as_their_type(name, content, content_type):
    checked = validate_upload(up(name, content))
    assert (checked.original_name, checked.content_type, checked.size) == (
        name,
        content_type,
        len(content),
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", ELF_BYTES, "named as a PDF file but its content is not"),
        ("report.docx", ELF_BYTES, "named as a Word document file but its content is not"),
        ("photo.png", pdf_bytes(), "it looks like a PDF"),
        (
            "notes.txt",
            b"<!doctype html><html><script>alert(1)</script></html>",
            "named as a plain text file",
        ),
        ("notes.txt", b"abc\x00def", "named as a plain text file"),
        ("policy.docx", zipped({"evil.sh": b"rm -rf /"}), "named as a Word document"),
        ("setup.exe", ELF_BYTES, "not a file type we accept"),
        ("page.html", b"<html></html>", "not a file type we accept"),
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a file type we accept"),
        ("noextension", pdf_bytes(), "not a file type we accept"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_refused_uploads_say_why(name, content, message):
    with pytest.raises(ValidationError) as error:
        validate_upload(up(name, content))
    assert message in error.value.messages[0]


def test_the_size_limit_is_a_setting(settings):
    settings.SEIR_UPLOAD_MAX_BYTES = 1000
    validate_upload(up("ok.txt", b"x" * 1000))
    with pytest.raises(ValidationError) as error:
        validate_upload(up("big.txt", b"x" * 1001))
    assert error.value.messages == [
        "“big.txt” is 1001\xa0bytes; files can be at most 1000\xa0bytes."
    ]


def test_the_default_limit_is_twenty_megabytes():
    from django.conf import settings

    assert settings.SEIR_UPLOAD_MAX_BYTES == 20 * 1024 * 1024


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\report.pdf", "report.pdf"),
        ("..hidden.pdf", "hidden.pdf"),
        ('a"b<c>.pdf', "a_b_c_.pdf"),
        ("nul\x00byte\r\n.pdf", "nulbyte.pdf"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
        (".pdf", "pdf"),  # a dot-file has no extension: refused as an unknown type
    ],
)
def test_filenames_are_cleaned(raw, clean):
    assert clean_filename(raw) == clean
