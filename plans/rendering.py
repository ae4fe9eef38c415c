"""Plan text reaches a page or a PDF through the project's one Markdown sanitiser.

It lives in ``seir/markdown.py`` so that apps below ``plans`` (the site's own pages)
render Markdown the same way without importing ``plans``; this module keeps the name
``plans`` has always used.
"""

from seir.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    LINK_REL,
    URL_SCHEMES,
    render_markdown,
)

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "LINK_REL", "URL_SCHEMES", "render_markdown"]
