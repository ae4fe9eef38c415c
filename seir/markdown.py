"""Markdown to HTML, sanitised: the only way stored Markdown (plan text, the site's own
pages) reaches a page or a PDF.

``markdown`` turns the text into HTML (raw HTML in the text passes through it), then
``nh3`` (the Rust ammonia sanitiser) keeps only an allow-list of tags and attributes and
safe link schemes, so <script>, event-handler attributes and javascript: URLs never
survive. Images are not allowed: a plan cannot make a reader's browser, or the PDF
renderer, fetch anything.

Building a ``markdown.Markdown`` (its parser, its inline patterns, the extensions) cost
more than converting a plan section with it, and a plan page converts a dozen sections,
so each thread keeps one converter and resets it between texts (``Markdown.reset``, the
library's way to reuse an instance: it clears every extension's state too, such as the
abbreviations one text defines).
"""

from __future__ import annotations

import threading

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
    "sup",
    "sub",
    "dl",
    "dt",
    "dd",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener nofollow"

_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "def_list", "abbr"]
_local = threading.local()


def _converter() -> md.Markdown:
    """This thread's converter, reset: as a new one would convert (tested)."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(extensions=_EXTENSIONS, output_format="html")
    return converter.reset()


def render_markdown(text: str) -> SafeString:
    """Sanitised HTML for ``text`` (Markdown), safe to put in a page as it is."""
    if not text or not text.strip():
        return mark_safe("")  # noqa: S308 - an empty string
    return _sanitised(_converter().convert(text.replace("\x00", "")))


def _sanitised(html: str) -> SafeString:
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return mark_safe(clean.strip())  # noqa: S308 - sanitised by nh3 just above
