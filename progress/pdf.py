"""A target report as PDF: WeasyPrint renders our own template, charts and all (SVG drawn
by the template), fetching nothing but our static stylesheet (``plans.pdf``'s fetcher)."""

from __future__ import annotations

from django.template.loader import render_to_string

from plans.pdf import PDF_BASE_URL, LocalOnlyURLFetcher, _static_prefix


def report_pdf_bytes(context: dict) -> bytes:
    from weasyprint import HTML  # loads fonts and stylesheets: only when needed

    html = render_to_string(
        "progress/reports/report_pdf.html", {**context, "pdf": True, "pdf_static": _static_prefix()}
    )
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=LocalOnlyURLFetcher()).write_pdf()
