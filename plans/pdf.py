"""A plan version as PDF, made by WeasyPrint without fetching anything remote.

The page is rendered from our own template; the only resources WeasyPrint may load are
our static files (read from disk through the staticfiles finders) and data: URLs. Any
other URL (http, https, file, ftp...) is refused, so text in a plan can never make the
server fetch something. (Plan text is sanitised too and allows no images at all.)
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# WeasyPrint reports each rendering step at INFO (from its import on): keep that out
# of the server log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

log = logging.getLogger(__name__)

# A base URL that is never fetched: our static URLs are resolved against it and then
# mapped to files by the fetcher below.
PDF_BASE_URL = "https://seir-pipeline.invalid/"


def _static_prefix() -> str:
    static_url = settings.STATIC_URL
    if not static_url.startswith("/"):
        static_url = "/" + static_url
    return PDF_BASE_URL.rstrip("/") + static_url


class LocalOnlyURLFetcher(URLFetcher):
    """Serves our static files and data: URLs; refuses every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols={"data", "https"}, allow_redirects=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = _static_prefix()
        if url.startswith(prefix):
            name = url[len(prefix) :].split("?", 1)[0].split("#", 1)[0]
            found = finders.find(name) if name and ".." not in Path(name).parts else None
            if found:
                body = Path(found).read_bytes()
                content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
                self.served.append(url)
                return URLFetcherResponse(url, body, {"Content-Type": content_type})
        self.refused.append(url)
        log.warning("PDF rendering refused to fetch %s", url[:200])
        raise ValueError(f"Fetching {url[:200]} is not allowed.")


def render_pdf(context: dict, *, fetcher: LocalOnlyURLFetcher | None = None) -> bytes:
    from weasyprint import HTML  # imported when needed: it loads fonts and stylesheets

    html = render_to_string("plans/version_pdf.html", {**context, "pdf_static": _static_prefix()})
    return HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher or LocalOnlyURLFetcher()
    ).write_pdf()
