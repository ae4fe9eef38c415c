"""An upload handler that stops keeping a file once it passes the size limit.

Without it, Django streams any upload, however large, to a temporary file before a form
can say it is too big. This handler goes first: past SEIR_UPLOAD_MAX_BYTES it passes no
more data to the handlers after it (so nothing more is written to memory or disk), keeps
counting, and hands the form a placeholder that carries the real size, so the person is
told "too large" beside the field instead of getting a truncated file.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from .validation import max_upload_bytes


class OversizedUpload(UploadedFile):
    """Stands in for a file that was too large to keep: empty, but with its real size."""

    def __init__(self, *, name: str, size: int, content_type: str | None):
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=size)


class SizeLimitUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.too_large = False
        self.limit = max_upload_bytes()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            return None  # the handlers after this one get nothing more
        return raw_data

    def file_complete(self, file_size):
        if self.too_large:
            return OversizedUpload(
                name=self.file_name, size=self.received, content_type=self.content_type
            )
        return None  # the next handler (memory or temporary file) returns the file
