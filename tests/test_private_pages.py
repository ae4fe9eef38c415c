"""Answers to someone signed in are not kept by a shared proxy or by the browser of a
shared computer (``Cache-Control: no-store, private``), unless a page says otherwise;
answers to someone not signed in and static files are not concerned."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.urls import reverse

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from seir.middleware import PrivatePagesMiddleware
from tests.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def seir():
    return member(ProgrammeFactory(), Role.SEIR, username="seir")


@pytest.mark.parametrize("name", ["ventures:list", "home", "inbox:notifications"])
def test_a_signed_in_page_is_not_stored(seir, name):
    response = client_for(seir).get(reverse(name), follow=True)
    assert response.status_code == 200
    assert sorted(response["Cache-Control"].split(", ")) == ["no-store", "private"]


def test_an_answer_that_sets_its_own_header_keeps_it(seir, rf):
    request = rf.get("/")
    request.user = seir

    def view(request):
        response = HttpResponse("feed")
        response["Cache-Control"] = "max-age=60"
        return response

    assert PrivatePagesMiddleware(view)(request)["Cache-Control"] == "max-age=60"


def test_an_answer_to_someone_not_signed_in_is_left_alone(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    assert "Cache-Control" not in PrivatePagesMiddleware(lambda r: HttpResponse("hi"))(request)
