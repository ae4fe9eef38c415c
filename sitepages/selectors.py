"""Reads of the service's own pages."""

from __future__ import annotations

from django.http import Http404

from . import defaults
from .models import SitePage, SitePageKind

DEFAULTS = {
    SitePageKind.ACCESSIBILITY: (defaults.ACCESSIBILITY_TITLE, defaults.ACCESSIBILITY_BODY),
    SitePageKind.PRIVACY: (defaults.PRIVACY_TITLE, defaults.PRIVACY_BODY),
}


def site_page_get(*, kind: str) -> SitePage:
    """The page of ``kind`` (one of ``SitePageKind``), its editor joined; 404 for an
    unknown kind. Both pages must always answer (every footer links them): a row that
    is missing (a database emptied and never migrated again, a row deleted by hand) is
    put back with its default text, never overwriting text an administrator edited."""
    if kind not in DEFAULTS:
        raise Http404("No such page.")
    page = SitePage.objects.select_related("updated_by").filter(kind=kind).first()
    if page is None:
        title, body = DEFAULTS[kind]
        page, _ = SitePage.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})
    return page
