"""Query counts of the plan pages are pinned and do not grow with versions or feedback."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import factories
from plans.models import PlanTemplateSection

pytestmark = pytest.mark.django_db

# Pinned at today's counts: a new query must be a deliberate change made here.
# (An entrepreneur's pages take one more query than the SEiR's: the team-membership check.)
# The plan page reads the venture's own row to check access (all a page served from the
# fragment cache needs), then its relations when the page is rendered. The plan page also
# shows the latest feedback with its replies (two queries); for the team, one more finds
# the feedback the page shows them, which becomes read (inbox.mark_read).
MAX_QUERIES = {"plan": 16, "version": 11, "compare": 11, "section": 11, "print": 11}


def grow(venture, entrepreneur, seir, *, versions: int, comments: int):
    """``versions`` versions of a plan with every section written, ``comments`` feedback
    comments on each version but the last, answered by the SEiR."""
    codes = list(
        PlanTemplateSection.objects.filter(template__is_default=True).values_list("code", flat=True)
    )
    for n in range(1, versions + 1):
        factories.write(entrepreneur, venture, {code: f"{code} text, round {n}." for code in codes})
        version = factories.submit(entrepreneur, venture)
        if n < versions:
            factories.review(
                seir,
                version,
                {codes[i % len(codes)]: f"Comment {i}" for i in range(comments)},
            )


def count(client, url) -> int:
    # Warm first: reference data (seir.refcache) is read once, then cached until it changes.
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def urls(pk, number):
    return {
        "plan": reverse("plans:plan", args=[pk]),
        "version": reverse("plans:version", args=[pk, number]),
        "compare": reverse("plans:compare", args=[pk]) + f"?a=1&b={number}",
        "section": reverse("plans:section_edit", args=[pk, "risks"]),
        "print": reverse("plans:print", args=[pk, number]),
    }


@pytest.mark.parametrize("who", ["seir", "entrepreneur"])
def test_plan_pages_do_not_grow_with_data(
    client, request, venture, other_venture, entrepreneur, other_entrepreneur, seir, who
):
    # given: a small plan (2 versions, 1 comment) and a large one (8 versions, 12 comments each)
    grow(venture, entrepreneur, seir, versions=2, comments=1)
    grow(other_venture, other_entrepreneur, seir, versions=8, comments=12)
    user = request.getfixturevalue(who)
    client.force_login(user)
    if who == "entrepreneur":
        # the large venture's team is someone else's; put the entrepreneur on it too
        from ventures.models import TeamMembership

        TeamMembership.objects.create(venture=other_venture, user=entrepreneur)

    small = {k: count(client, u) for k, u in urls(venture.pk, 2).items()}
    large = {k: count(client, u) for k, u in urls(other_venture.pk, 8).items()}

    assert small == large
    for page, queries in large.items():
        assert queries <= MAX_QUERIES[page], (page, queries)
