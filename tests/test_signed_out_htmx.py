"""A form sent in place (htmx) by someone no longer signed in: signed out in another tab,
or idle past the limit. Before, the answer was a redirect to the sign-in page, which the
browser followed and htmx swapped into the page in place of the form: a plan section's
text, a link being added, were replaced by a sign-in form and lost. Now the answer is a
401 that htmx does not swap (the page says so and keeps what was typed: static/js/seir.js),
and a signed-in page can fetch the rotated CSRF token to send the form again."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.models import DraftSection

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "section-risks"}


def section_url(venture):
    return reverse("plans:section_edit", args=[venture.pk, "risks"])


def test_a_signed_out_htmx_post_is_a_401_not_the_sign_in_page(venture):
    client = Client()
    response = client.post(section_url(venture), {"body": "Our text.", "version": 0}, **HTMX)
    assert response.status_code == 401
    assert "Location" not in response
    assert "signed out" in response.content.decode()
    assert not DraftSection.objects.exists()


def test_a_signed_out_plain_post_still_goes_to_sign_in(venture):
    response = Client().post(section_url(venture), {"body": "Our text.", "version": 0})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_htmx_post_after_the_idle_limit_is_a_401_and_signs_out(
    client, venture, entrepreneur, monkeypatch
):
    client.force_login(entrepreneur)
    assert client.get(reverse("plans:plan", args=[venture.pk])).status_code == 200
    later = timezone.now() + datetime.timedelta(days=7, seconds=5)
    monkeypatch.setattr(timezone, "now", lambda: later)

    response = client.post(section_url(venture), {"body": "Our text.", "version": 0}, **HTMX)

    assert response.status_code == 401
    assert "_auth_user_id" not in client.session
    assert not DraftSection.objects.exists()


def test_the_session_token_is_given_only_to_someone_signed_in(client, entrepreneur):
    url = reverse("session_token")
    assert client.get(url).status_code == 302  # to sign in: the page stays signed out
    client.force_login(entrepreneur)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert len(response.json()["token"]) == 64
    assert "no-store" in response["Cache-Control"]


def test_an_htmx_post_with_a_token_from_before_the_last_sign_in_says_so(venture, entrepreneur):
    """Signed out and in again in another tab rotates the CSRF token: a form sent in place
    from the older page is refused with a header the page reads to take the new token
    (before: 'Sorry, that did not work (error 403). Reload the page', and a reload lost
    the text)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(entrepreneur)
    client.get(reverse("plans:plan", args=[venture.pk]))  # sets the CSRF cookie
    response = client.post(
        section_url(venture),
        {"body": "Our text.", "version": 0, "csrfmiddlewaretoken": "x" * 64},
        **HTMX,
    )
    assert response.status_code == 403
    assert response["SEiR-Stale-Token"] == "1"
    assert not DraftSection.objects.exists()
    # a page (not in place) still gets Django's CSRF page
    plain = client.post(section_url(venture), {"body": "Our text.", "version": 0})
    assert plain.status_code == 403
    assert "SEiR-Stale-Token" not in plain


def test_a_signed_out_plain_post_to_a_post_only_address_comes_back_to_its_page(item_page):
    """After signing in, 'next' was the POST-only address the form was sent to: a GET of
    it answered 405 with an empty page. Now it is the page the form was on."""
    venture, page_path = item_page
    url = reverse("plans:submit", args=[venture.pk])
    client = Client()
    response = client.post(
        url, {"revision": 0, "number": 0}, HTTP_REFERER=f"http://testserver{page_path}"
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=" + page_path
    # from another site, or with no page named: as before, 'next' is the address itself
    other = client.post(url, {}, HTTP_REFERER="https://evil.example/x")
    assert other["Location"] == f"/accounts/login/?next={url}"
    assert client.post(url, {})["Location"] == f"/accounts/login/?next={url}"


@pytest.fixture
def item_page(venture):
    return venture, reverse("plans:plan", args=[venture.pk])
