"""Serving a stored file to someone already checked to be allowed to read it."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404


def file_download_response(*, name: str, filename: str, content_type: str, storage=None):
    """An attachment response for the stored file ``name``. Never inline: the browser
    must not render an uploaded file in our origin."""
    storage = storage or default_storage
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404("The file is missing from storage.") from error
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
