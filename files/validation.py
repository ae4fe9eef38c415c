"""Validate an upload before anything is stored: size, name and content must agree.

The extension says what the person claims the file is; libmagic says what its bytes
are. Both must name the same allowed type, so an executable renamed ``report.pdf`` or an
HTML page called ``notes.txt`` is refused.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

OOXML_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OOXML_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODF_TEXT = "application/vnd.oasis.opendocument.text"
ODF_SHEET = "application/vnd.oasis.opendocument.spreadsheet"


@dataclass(frozen=True)
class FileType:
    extensions: tuple[str, ...]
    label: str
    # What the file is served as.
    content_type: str
    # What libmagic may report for it.
    detected: frozenset[str]
    # Zip-based formats libmagic sometimes reports only as a zip: a member that must exist.
    zip_member: str = ""
    text: bool = False


FILE_TYPES: tuple[FileType, ...] = (
    FileType(("pdf",), "PDF", "application/pdf", frozenset({"application/pdf"})),
    FileType(("docx",), "Word document", OOXML_WORD, frozenset({OOXML_WORD}), "word/document.xml"),
    FileType(("xlsx",), "Excel workbook", OOXML_SHEET, frozenset({OOXML_SHEET}), "xl/workbook.xml"),
    FileType(("odt",), "OpenDocument text", ODF_TEXT, frozenset({ODF_TEXT}), "content.xml"),
    FileType(
        ("ods",), "OpenDocument spreadsheet", ODF_SHEET, frozenset({ODF_SHEET}), "content.xml"
    ),
    FileType(("png",), "PNG image", "image/png", frozenset({"image/png"})),
    FileType(("jpg", "jpeg"), "JPEG image", "image/jpeg", frozenset({"image/jpeg"})),
    FileType(
        ("csv",),
        "CSV",
        "text/csv",
        frozenset({"text/csv", "text/plain", "application/csv"}),
        text=True,
    ),
    FileType(("txt",), "plain text", "text/plain", frozenset({"text/plain"}), text=True),
)
_BY_EXTENSION = {ext: ft for ft in FILE_TYPES for ext in ft.extensions}
ZIP_TYPES = frozenset({"application/zip", "application/x-zip-compressed"})
SNIFF_BYTES = 8192


def allowed_extensions() -> list[str]:
    return sorted(_BY_EXTENSION)


def accept_attribute() -> str:
    """For ``<input type=file accept=...>`` (a hint to the browser; the server decides)."""
    return ",".join(f".{ext}" for ext in allowed_extensions())


def max_upload_bytes() -> int:
    return int(getattr(settings, "SEIR_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def clean_filename(name: str, *, max_length: int = 150) -> str:
    """A display name safe to keep and to send back in Content-Disposition: no path, no
    control characters, no NUL, no leading dots, bounded length, extension kept."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"[\"<>:|?*;]", "_", name).strip().lstrip(".").strip()
    stem, ext = os.path.splitext(name)
    ext = ext[:10]
    stem = stem[: max_length - len(ext)] or "file"
    return f"{stem}{ext}"


def extension_of(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


@dataclass(frozen=True)
class CheckedUpload:
    """What validation learned about an upload: what to store it as."""

    original_name: str
    extension: str
    content_type: str
    size: int


def _sniff(upload) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def _zip_has_member(upload, member: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def _is_text(upload) -> bool:
    """Plain text: no NUL bytes and decodable as UTF-8 (with or without a BOM) or Latin-1
    without control characters other than tabs and line ends."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return not any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f" for ch in text)


def validate_upload(upload) -> CheckedUpload:
    """Raise ValidationError with a message for the person unless ``upload`` (a Django
    UploadedFile) is a non-empty file of an allowed type, within the size limit, whose
    content matches its extension. Nothing is stored here."""
    if upload is None:
        raise ValidationError("Choose a file to upload.", code="required")
    original = clean_filename(upload.name)
    size = upload.size or 0
    if size <= 0:
        raise ValidationError(
            f"“{original}” is empty. Choose a file with something in it.", code="empty"
        )
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            f"“{original}” is {filesizeformat(size)}; files can be at most {filesizeformat(limit)}.",
            code="too_large",
        )
    extension = extension_of(original)
    file_type = _BY_EXTENSION.get(extension)
    if file_type is None:
        raise ValidationError(
            f"“{original}” is not a file type we accept. Upload one of: "
            + ", ".join(allowed_extensions())
            + ".",
            code="extension",
        )
    detected = magic.from_buffer(_sniff(upload), mime=True)
    matches = detected in file_type.detected
    if not matches and file_type.zip_member and detected in ZIP_TYPES:
        matches = _zip_has_member(upload, file_type.zip_member)
    if matches and file_type.text:
        matches = _is_text(upload)
    if not matches:
        raise ValidationError(
            f"“{original}” is named as a {file_type.label} file but its content is not "
            f"({_describe(detected)}). Upload the real {file_type.label} file.",
            code="content_mismatch",
        )
    return CheckedUpload(
        original_name=original,
        extension=extension,
        content_type=file_type.content_type,
        size=size,
    )


def _describe(mime: str) -> str:
    for file_type in FILE_TYPES:
        if mime in file_type.detected and not file_type.text:
            return f"it looks like a {file_type.label}"
    if mime.startswith("text/"):
        return (
            "it looks like text of another kind" if mime != "text/plain" else "it looks like text"
        )
    return "it looks like another kind of file"
