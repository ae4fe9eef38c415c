"""The scouting lists say how many rows they hold, in words, and count no further than
a cap (seir.paging.CappedPaginator), so 100,000 meetings cost what 1,000 do."""

import re

import pytest
from django.urls import reverse

from scouting.factories import MeetingFactory, PersonFactory
from seir import paging

pytestmark = pytest.mark.django_db


def _count_line(client, url, params=None) -> str:
    html = client.get(url, params or {}).content.decode()
    return re.search(r'<p id="result-count" role="status">([^<]*)</p>', html).group(1)


def test_people_are_counted_in_words(client, seir, programme, nadia):
    client.force_login(seir)
    url = reverse("scouting:person_list")

    assert _count_line(client, url) == "1 person."
    PersonFactory(programme=programme, name="Second Person")
    assert _count_line(client, url) == "2 people."
    assert _count_line(client, url, {"q": "Second"}) == "1 person matches the filters."


def test_past_the_cap_a_list_says_more_than_and_pages_only_that_far(
    monkeypatch, client, seir, programme
):
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    for _ in range(3):
        MeetingFactory(programme=programme)
    client.force_login(seir)
    url = reverse("scouting:meeting_list")

    assert _count_line(client, url) == (
        "More than 2 meetings. The list shows the first 2: narrow the filters to find the rest."
    )
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    assert _count_line(client, url) == "3 meetings."
