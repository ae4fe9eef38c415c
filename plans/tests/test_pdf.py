"""The PDF of a version: WeasyPrint output, permission-checked, fetching nothing remote."""

import pytest
from django.urls import reverse
from weasyprint import HTML

from plans import factories
from plans.pdf import PDF_BASE_URL, LocalOnlyURLFetcher, render_pdf

pytestmark = pytest.mark.django_db


def test_pdf_for_an_allowed_user(client, entrepreneur, venture, submitted, seir):
    factories.review(seir, submitted, {"executive-summary": "Name the commissioner."})
    client.force_login(entrepreneur)
    response = client.get(reverse("plans:pdf", args=[venture.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        'attachment; filename="saheli-womens-centre-business-plan-v1.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert len(response.content) > 5_000


@pytest.mark.parametrize("who", ["commissioner", "other_entrepreneur", "other_seir"])
def test_pdf_is_404_for_others(client, request, venture, submitted, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("plans:pdf", args=[venture.pk, 1]))
    assert response.status_code == 404
    assert not response.content.startswith(b"%PDF")


def test_pdf_of_a_missing_version_is_404(client, seir, venture, submitted):
    client.force_login(seir)
    assert client.get(reverse("plans:pdf", args=[venture.pk, 2])).status_code == 404


def test_fetcher_serves_our_static_files_and_data_urls_only():
    fetcher = LocalOnlyURLFetcher()
    css = fetcher.fetch(PDF_BASE_URL + "static/css/plans-print.css")
    assert css.content_type == "text/css"
    assert b"@page" in css.read()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for url in (
        "https://example.com/x.css",
        "http://127.0.0.1:1/secret",
        "file:///etc/passwd",
        "ftp://example.com/x",
        PDF_BASE_URL + "static/../seir/settings/base.py",
        PDF_BASE_URL + "static/no-such-file.css",
        PDF_BASE_URL + "media/private.pdf",
    ):
        with pytest.raises(ValueError, match="is not allowed"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 7


def test_rendering_never_fetches_remote_resources():
    fetcher = LocalOnlyURLFetcher()
    html = (
        '<link rel="stylesheet" href="https://cdn.example/x.css">'
        '<img src="http://169.254.169.254/latest/meta-data/">'
        '<p style="background: url(file:///etc/shadow)">Hello</p>'
    )
    pdf = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert sorted(fetcher.refused) == [
        "file:///etc/shadow",
        "http://169.254.169.254/latest/meta-data/",
        "https://cdn.example/x.css",
    ]


def test_pdf_is_styled_by_our_print_stylesheet_and_fetches_nothing_else(submitted, venture, seir):
    from plans import selectors
    from plans.permissions import plan_access

    version = selectors.version_get(plan=selectors.plan_of(venture=venture), number=1)
    rows, general = selectors.version_rows(version=version, rights=plan_access(seir, venture))
    fetcher = LocalOnlyURLFetcher()
    pdf = render_pdf(
        {"venture": venture, "version": version, "rows": rows, "general_comments": general},
        fetcher=fetcher,
    )
    assert pdf.startswith(b"%PDF")
    assert fetcher.served == [PDF_BASE_URL + "static/css/plans-print.css"]
    assert fetcher.refused == []


def test_print_view_uses_the_print_stylesheet(client, entrepreneur, venture, submitted):
    client.force_login(entrepreneur)
    html = client.get(reverse("plans:print", args=[venture.pk, 1])).content.decode()
    assert '<link rel="stylesheet" href="/static/css/plans-print.css">' in html
    assert "<script>" not in html
    assert "onclick" not in html
    assert "Saheli Women&#x27;s Centre: business plan, version 1" in html
