"""Hostile input on every plan route gives a clear answer (4xx or a message), never a 500,
and changes nothing."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NASTY = ["-1", "99999999999999999999", "abc", "", "\x00", "é" * 5000, "<script>x</script>"]


@pytest.mark.parametrize("value", NASTY)
def test_hostile_posts_change_nothing(client, seir, venture, submitted, plan_snapshot, value):
    client.force_login(seir)
    before = plan_snapshot(venture)
    posts = [
        (
            reverse("plans:submit", args=[venture.pk]),
            {"revision": value, "number": value, "note": value},
        ),
        (reverse("plans:comment_add", args=[venture.pk, 1]), {"section": value, "body": value}),
        (reverse("plans:review", args=[venture.pk, 1]), {"action": value}),
        (
            reverse("plans:section_edit", args=[venture.pk, "risks"]),
            {"body": "ok", "version": value},
        ),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400), (url, response.status_code)
    assert plan_snapshot(venture) == before


@pytest.mark.parametrize("value", NASTY)
def test_hostile_query_strings(client, seir, venture, submitted, value):
    client.force_login(seir)
    for url in (
        reverse("plans:plan", args=[venture.pk]),
        reverse("plans:version", args=[venture.pk, 1]),
        reverse("plans:compare", args=[venture.pk]),
        reverse("plans:print", args=[venture.pk, 1]),
    ):
        response = client.get(url, {"a": value, "b": value, "page": value})
        assert response.status_code < 500, url


def test_a_refused_comment_keeps_the_text_and_says_why(client, seir, venture, submitted):
    client.force_login(seir)
    response = client.post(
        reverse("plans:comment_add", args=[venture.pk, 1]),
        {"section": "no-such-section", "body": "Keep this text."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "That section is not part of this version." in html
    assert "Keep this text.</textarea>" in html
