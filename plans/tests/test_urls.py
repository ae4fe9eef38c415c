"""Plan routes round-trip: reverse(name) gives the path, and the path resolves to the name."""

import pytest
from django.urls import resolve, reverse

ROUTES = [
    ("plans:plan", {"pk": 7}, "/ventures/7/plan/"),
    ("plans:section_edit", {"pk": 7, "code": "risks"}, "/ventures/7/plan/sections/risks/"),
    ("plans:submit", {"pk": 7}, "/ventures/7/plan/submit/"),
    ("plans:compare", {"pk": 7}, "/ventures/7/plan/compare/"),
    ("plans:version", {"pk": 7, "number": 2}, "/ventures/7/plan/versions/2/"),
    ("plans:comment_add", {"pk": 7, "number": 2}, "/ventures/7/plan/versions/2/feedback/"),
    ("plans:reply", {"pk": 7, "comment": 3}, "/ventures/7/plan/feedback/3/reply/"),
    ("plans:review", {"pk": 7, "number": 2}, "/ventures/7/plan/versions/2/review/"),
    ("plans:print", {"pk": 7, "number": 2}, "/ventures/7/plan/versions/2/print/"),
    ("plans:pdf", {"pk": 7, "number": 2}, "/ventures/7/plan/versions/2/pdf/"),
]


@pytest.mark.parametrize(("name", "kwargs", "path"), ROUTES, ids=[r[0] for r in ROUTES])
def test_route_round_trips(name, kwargs, path):
    reversed_path = reverse(name, kwargs=kwargs)
    match = resolve(reversed_path)
    assert reversed_path == path
    assert match.view_name == name
    assert match.kwargs == kwargs


def test_venture_routes_still_win():
    # plans' URLs are included under /ventures/ after ventures' own
    assert resolve("/ventures/7/").view_name == "ventures:detail"
    assert resolve("/ventures/7/edit/").view_name == "ventures:edit"
