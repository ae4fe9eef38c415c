"""Query counts of the scouting pages are pinned and do not grow with the data."""

import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scouting.factories import (
    FollowUpFactory,
    IdeaFactory,
    MeetingFactory,
    OrganisationFactory,
    PersonFactory,
)
from scouting.models import Sector, Tag

pytestmark = pytest.mark.django_db

# Pinned at today's counts: a new query on one of these pages must be a deliberate change
# made here, and a per-row query fails at once (the counts must not grow with the data).
# Each counts the bell's unread count too (issue 18): ``count`` empties the cache, where
# it is otherwise kept from sign-in on.
PAGES = {
    "scouting:home": 13,  # the funnel: two over the summary rows
    "scouting:meeting_list": 9,
    "scouting:person_list": 9,
    "scouting:organisation_list": 7,
    "scouting:idea_list": 7,
    "scouting:followups": 8,
    "scouting:duplicates": 10,  # names read once per kind; pairs resolved in one query each
}
FILTERED = {
    "scouting:meeting_list": {"sector": "gp_practice", "open_followups": "true", "attendee": "a"},
    "scouting:person_list": {"q": "a", "tag": "clinician", "sector": "gp_practice"},
    "scouting:idea_list": {"status": "new", "sector": "gp_practice"},
}


def add_data(n, *, programme, seir, start):
    sectors = itertools.cycle([Sector.GP_PRACTICE, Sector.COMMUNITY_GROUP, Sector.LOCAL_AUTHORITY])
    tag = Tag.objects.get(code="clinician")
    for i in range(start, start + n):
        org = OrganisationFactory(programme=programme, name=f"Org {i:03d}", sector=next(sectors))
        people = [
            PersonFactory(programme=programme, name=f"Anna {i:03d}-{k}", organisation=org)
            for k in range(2)
        ]
        people[0].tags.add(tag)
        meeting = MeetingFactory(programme=programme, attendees=people, organisations=[org])
        IdeaFactory(programme=programme, source_meetings=[meeting], proposers=people[:1])
        FollowUpFactory(programme=programme, meeting=meeting, assignee=seir, person=people[0])
        FollowUpFactory(
            programme=programme, meeting=meeting, assignee=seir, done=True, done_at=timezone.now()
        )


def count(client, name, params=None):
    cache.clear()  # measure the start page's funnel uncached
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(name), params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", list(PAGES))
def test_query_counts_pinned_and_flat(client, seir, programme, name):
    client.force_login(seir)
    add_data(3, programme=programme, seir=seir, start=0)
    small = count(client, name)
    small_filtered = count(client, name, FILTERED.get(name))
    add_data(30, programme=programme, seir=seir, start=3)
    large = count(client, name)
    large_filtered = count(client, name, FILTERED.get(name))

    assert small == large == PAGES[name]
    # Filtering may add the query for a choice's options (tags), never one per row.
    assert small_filtered == large_filtered <= PAGES[name] + 1


def test_detail_pages_flat(client, seir, programme):
    client.force_login(seir)
    add_data(2, programme=programme, seir=seir, start=0)
    from scouting.models import Idea, Meeting, Organisation, Person

    def detail_counts():
        m, i = Meeting.objects.first(), Idea.objects.first()
        p, o = Person.objects.first(), Organisation.objects.first()
        out = []
        for name, pk in (
            ("scouting:meeting_detail", m.pk),
            ("scouting:idea_detail", i.pk),
            ("scouting:person_detail", p.pk),
            ("scouting:organisation_detail", o.pk),
        ):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse(name, args=[pk])).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    small = detail_counts()
    # More meetings, ideas and people linked to the same records.
    m = Meeting.objects.first()
    p = Person.objects.first()
    o = Organisation.objects.first()
    for k in range(10):
        extra = PersonFactory(programme=programme, name=f"Extra {k}", organisation=o)
        m.attendees.add(extra)
        meeting = MeetingFactory(programme=programme, attendees=[p, extra], organisations=[o])
        IdeaFactory(programme=programme, source_meetings=[meeting, m], proposers=[p, extra])
        FollowUpFactory(programme=programme, meeting=m, assignee=seir, person=p)
    assert detail_counts() == small
