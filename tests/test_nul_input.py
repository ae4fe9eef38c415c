"""No page shows a NUL character back (found by tests/test_hostile_input.py).

A form that refused a NUL showed it back raw, in the field's value and in the choice
error ("Select a valid choice. \\x00 is not one of ..."); seir.middleware turns each NUL
in a query string or form into U+FFFD before any view reads it.
"""

import pytest
from django.http import QueryDict
from django.urls import reverse

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from seir.middleware import _without_nul

pytestmark = pytest.mark.django_db


def test_nul_becomes_the_replacement_character_in_names_and_values():
    query = QueryDict("q=a%00b&stage=1&stage=%00&x%00y=1")

    cleaned = _without_nul(query)

    assert cleaned.getlist("q") == ["a\ufffdb"]
    assert cleaned.getlist("stage") == ["1", "\ufffd"]
    assert cleaned.getlist("x\ufffdy") == ["1"]
    assert "x\x00y" not in cleaned
    assert not cleaned._mutable


def test_a_query_without_nul_is_left_as_it_is():
    query = QueryDict("q=abc&stage=1")

    assert _without_nul(query) is query


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("ventures:list", {"q": "a\x00b"}),  # a text field that refuses NUL
        ("progress:dashboard", {"seir": "\x00"}),  # a choice: "\x00 is not one of ..."
    ],
)
def test_a_filter_form_given_nul_does_not_show_it_back(client, url, params):
    client.force_login(member(ProgrammeFactory(), Role.SEIR, username="samira"))

    response = client.get(reverse(url), params)

    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


def test_the_sign_in_form_given_nul_does_not_show_it_back(client):
    response = client.post(reverse("login"), {"username": "ada\x00", "password": "x"})

    assert response.status_code == 200
    assert "\x00" not in response.content.decode()
    assert "ada\ufffd" in response.content.decode()
