"""The venture list, the board and the venture page are served from the fragment cache
(seir.fragments): the same page for the same person until anything changes, never
another person's page, and with each request's own tokens.

Each test's data is written inside the test's transaction, where pages are rendered
afresh; ``committed()`` marks what was written so far as committed, as it would be
between two real requests.
"""

from __future__ import annotations

import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import member
from accounts.roles import Role
from seir import fragments
from tests.clients import client_for
from ventures import services
from ventures.models import TeamRole, Venture, VentureNote

pytestmark = pytest.mark.django_db


def committed() -> None:
    connection._seir_fragments_pending = None


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def names_in_table(response) -> list[str]:
    return [
        html.unescape(name)
        for name in re.findall(
            r'<td><a href="/ventures/\d+/">([^<]+)</a>', response.content.decode()
        )
    ]


def hidden(response, name) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]+)"', response.content.decode())


PAGES = ["ventures:list", "ventures:board"]


# (Never a parameter named "page": pytest-playwright would take these for browser tests.)
@pytest.mark.parametrize("url_name", PAGES)
def test_a_page_read_twice_is_served_from_the_cache_with_the_same_content(
    url_name, seir, venture, other_venture
):
    client = client_for(seir)
    committed()
    first, cold = get(client, reverse(url_name))
    second, warm = get(client, reverse(url_name))

    # session, user, programme roles (the navigation): nothing of the page itself
    assert warm == 3
    assert cold > warm
    strip = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')
    assert strip.sub("", second.content.decode()) == strip.sub("", first.content.decode())
    assert "Saheli Women" in second.content.decode()


# Every page served from the fragment cache, and the queries a second read runs: the
# session, the user and their programme roles (the navigation), plus on a venture's
# pages the venture's own row (who may open it is checked on every request).
CACHED_PAGES = {
    "ventures:list": 3,
    "ventures:board": 3,
    "ventures:detail": 4,
    "checklists:venture": 4,
    "plans:plan": 4,
    "funding:venture": 4,
    "outcomes:venture": 4,
    "commissioning:venture_tab": 4,
    "commissioning:introductions": 3,
    "commissioning:ledger": 3,
    "commissioning:commissioners": 3,
    "funding:programme": 3,
    "scouting:home": 3,
    "scouting:meeting_list": 3,
    "scouting:person_list": 3,
    "scouting:organisation_list": 3,
    "scouting:idea_list": 3,
}


@pytest.mark.parametrize(("url_name", "queries"), CACHED_PAGES.items())
def test_every_cached_page_read_again_runs_only_the_requests_own_queries(
    url_name, queries, seir, venture
):
    client = client_for(seir)
    if url_name in VENTURE_PAGES:
        url = reverse(url_name, args=[venture.pk])
    else:
        url = reverse(url_name)
    committed()
    _, cold = get(client, url)
    _, warm = get(client, url)
    assert warm == queries
    assert cold > warm


VENTURE_PAGES = {
    "ventures:detail",
    "checklists:venture",
    "plans:plan",
    "funding:venture",
    "outcomes:venture",
    "commissioning:venture_tab",
}


def test_the_venture_page_read_twice_is_served_from_the_cache(seir, venture):
    client = client_for(seir)
    url = reverse("ventures:detail", args=[venture.pk])
    committed()
    get(client, url)
    response, warm = get(client, url)
    assert warm == 4
    assert "<title>Saheli Women&#x27;s Centre – SEiR Pipeline</title>" in response.content.decode()


def test_any_change_is_shown_on_the_next_request(seir, venture, other_venture, stages):
    client = client_for(seir)
    committed()
    get(client, reverse("ventures:list"))

    # a bulk UPDATE, which no model signal sees, counts as much as a service's save
    Venture.objects.filter(pk=venture.pk).update(name="Renamed Centre")
    committed()
    response, _ = get(client, reverse("ventures:list"))
    assert names_in_table(response) == ["Men's Sheds Kingstanding", "Renamed Centre"]

    get(client, reverse("ventures:board"))
    services.venture_move(
        actor=seir, venture=venture, to_stage=stages["startup"], override_reason="Test."
    )
    committed()
    board, _ = get(client, reverse("ventures:board"))
    column = board.content.decode().split(f'data-stage-id="{stages["startup"].pk}"')[1]
    assert f'data-venture-id="{venture.pk}"' in column.split("data-stage-id=")[0]


def test_before_the_change_commits_no_page_is_stored(seir, venture):
    client = client_for(seir)
    committed()
    Venture.objects.filter(pk=venture.pk).update(name="Not yet committed")
    before = cache.get(fragments.VERSION_KEY)

    get(client, reverse("ventures:list"))
    _, again = get(client, reverse("ventures:list"))

    assert again > 3  # rendered afresh both times
    assert cache.get(fragments.VERSION_KEY) == before


def test_nobody_is_served_another_persons_cached_page(seir, entrepreneur, venture, other_venture):
    committed()
    seirs_list, _ = get(client_for(seir), reverse("ventures:list"))
    assert names_in_table(seirs_list) == ["Men's Sheds Kingstanding", "Saheli Women's Centre"]

    entrepreneurs_list, _ = get(client_for(entrepreneur), reverse("ventures:list"))
    assert names_in_table(entrepreneurs_list) == ["Saheli Women's Centre"]


def test_revoking_access_refuses_a_page_that_was_cached(seir, venture, programme):
    helper = member(programme, Role.ENTREPRENEUR, username="helper")
    membership = services.team_member_add(
        actor=seir, venture=venture, user=helper, role=TeamRole.MEMBER
    )
    client = client_for(helper)
    url = reverse("ventures:detail", args=[venture.pk])
    committed()
    get(client, url)
    get(client, url)

    services.team_member_remove(actor=seir, membership=membership)
    committed()

    assert client.get(url).status_code == 404


def test_forms_on_a_cached_page_carry_this_requests_tokens(seir, venture):
    client = client_for(seir, enforce_csrf_checks=True)
    url = reverse("ventures:detail", args=[venture.pk])
    committed()
    first, _ = get(client, url)
    second, warm = get(client, url)
    assert warm == 4  # served from the cache

    tokens = hidden(first, "submission_token") + hidden(second, "submission_token")
    assert len(tokens) == len(set(tokens)) >= 2  # a fresh one-time token in every form
    assert str(fragments.TOKEN_HOLE) not in second.content.decode()
    assert fragments.CSRF_HOLE not in second.content.decode()

    form = second.content.decode().split(f'action="/ventures/{venture.pk}/notes/')[1]
    response = client.post(
        reverse("ventures:note_add", args=[venture.pk]),
        {
            "csrfmiddlewaretoken": hidden(second, "csrfmiddlewaretoken")[0],
            "submission_token": re.search(r'name="submission_token" value="([^"]+)"', form)[1],
            "body": "Met the commissioner.",
            "visibility": "team",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert VentureNote.objects.filter(venture=venture, body="Met the commissioner.").count() == 1
    page = response.content.decode()
    assert "Met the commissioner." in page  # the new note, not the cached page
    assert 'role="status"' in page  # the message, rendered live around the cached part


def test_reading_the_pages_writes_nothing_that_empties_the_cache(seir, venture):
    client = client_for(seir)
    urls = [reverse(name) for name in PAGES] + [reverse("ventures:detail", args=[venture.pk])]
    committed()
    for url in urls:
        get(client, url)
    version = cache.get(fragments.VERSION_KEY)
    for url in urls:
        get(client, url)
    assert cache.get(fragments.VERSION_KEY) == version
