"""The accessibility statement and the privacy notice: public pages, no sign-in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from seir.markdown import render_markdown

from . import permissions
from .models import SitePageKind
from .selectors import site_page_get


def _site_page(request, kind: str):
    page = site_page_get(kind=kind)
    edit_url = (
        reverse("admin:sitepages_sitepage_change", args=[page.pk])
        if permissions.can_edit_site_page(request.user)
        else None
    )
    return render(
        request,
        "sitepages/site_page.html",
        {"page": page, "body": render_markdown(page.body), "edit_url": edit_url},
    )


@login_not_required
@require_GET
def accessibility_statement(request):
    return _site_page(request, SitePageKind.ACCESSIBILITY)


@login_not_required
@require_GET
def privacy_notice(request):
    return _site_page(request, SitePageKind.PRIVACY)
