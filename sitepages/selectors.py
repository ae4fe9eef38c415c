"""Reads of the service's own pages."""

from __future__ import annotations

from django.http import Http404

from .models import SitePage


def site_page_get(*, kind: str) -> SitePage:
    """The page of ``kind`` (one of ``SitePageKind``), its editor joined; 404 if missing."""
    page = SitePage.objects.select_related("updated_by").filter(kind=kind).first()
    if page is None:
        raise Http404("No such page.")
    return page
