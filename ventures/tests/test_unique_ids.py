"""Every element id on a venture's pages is used once. The venture page draws the note
form and the team form side by side, each with its hidden one-time token: the token was
drawn with Django's ``id="id_submission_token"`` in both, so the page carried that id
twice (an id must be unique in a page; label targets and ``aria-*`` references rely on it)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.urls import reverse

from accounts.factories import member
from accounts.roles import Role

pytestmark = pytest.mark.django_db

IDS = re.compile(r"""\sid=["']([^"']+)["']""")


def _repeated_ids(html: str) -> list[str]:
    return sorted(name for name, count in Counter(IDS.findall(html)).items() if count > 1)


def test_the_venture_page_with_its_note_and_team_forms_uses_each_id_once(
    client, seir, venture, programme
):
    member(programme, Role.ENTREPRENEUR)  # someone the team form can offer
    client.force_login(seir)

    html = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()

    # Both forms with a one-time token are on the page, so the check is not vacuous.
    assert html.count('name="submission_token"') >= 2
    assert 'id="id_body"' in html and 'id="id_user"' in html
    assert _repeated_ids(html) == []


@pytest.mark.parametrize(
    "url_name",
    [
        "plans:plan",
        "checklists:venture",
        "funding:venture",
        "commissioning:venture_tab",
        "outcomes:venture",
        "ventures:activity",
    ],
)
def test_each_tab_uses_each_id_once(client, seir, venture, url_name):
    client.force_login(seir)

    response = client.get(reverse(url_name, args=[venture.pk]))

    assert response.status_code == 200
    assert _repeated_ids(response.content.decode()) == []
