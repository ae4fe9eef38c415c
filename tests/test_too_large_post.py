"""A form whose text is larger than the server reads (DATA_UPLOAD_MAX_MEMORY_SIZE: a
whole document pasted into a venture's summary) is answered with the site's own 400
page saying what happened, that nothing was saved and how to keep the text. Before, it
was Django's bare "Bad Request (400)" with nothing else on the page."""

import pytest
from django.urls import reverse

from ventures.models import FieldChange

pytestmark = pytest.mark.django_db


def test_a_profile_too_large_to_read_gets_a_page_that_says_so(client, entrepreneur, venture):
    client.force_login(entrepreneur)
    client.raise_request_exception = False
    summary_before = venture.summary
    response = client.post(
        reverse("ventures:edit", args=[venture.pk]),
        {"name": venture.name, "summary": "s" * 3_000_000, "version": venture.version},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "<main" in page and "<h1>What you sent could not be read</h1>" in page
    assert "too large" in page
    assert "Nothing was saved." in page
    assert "Go back" in page
    venture.refresh_from_db()
    assert venture.summary == summary_before
    assert not FieldChange.objects.exists()
