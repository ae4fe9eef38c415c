"""Named routes round-trip: reverse(name) gives the path, and the path resolves to the name."""

import pytest
from django.urls import resolve, reverse

pytestmark = pytest.mark.django_db

ROUTES = [
    # name, kwargs, path
    ("home", {}, "/"),
    ("healthz", {}, "/healthz"),
    ("login", {}, "/accounts/login/"),
    ("logout", {}, "/accounts/logout/"),
    ("password_reset", {}, "/accounts/password_reset/"),
    ("programmes:list", {}, "/programmes/"),
    ("programmes:detail", {"pk": 7}, "/programmes/7/"),
    ("ventures:list", {}, "/ventures/"),
    ("ventures:board", {}, "/ventures/board/"),
    ("ventures:detail", {"pk": 7}, "/ventures/7/"),
    ("ventures:edit", {"pk": 7}, "/ventures/7/edit/"),
    ("ventures:move", {"pk": 7}, "/ventures/7/move/"),
    ("ventures:export", {}, "/ventures/export.csv"),
    ("ventures:create", {}, "/ventures/new/"),
    ("ventures:mine", {}, "/ventures/mine/"),
    ("invitations:create", {"pk": 7}, "/programmes/7/invite/"),
    ("invitations:programme_settings", {"pk": 7}, "/programmes/7/settings/"),
    ("invitations:revoke", {"pk": 7, "invitation_id": 3}, "/programmes/7/invitations/3/revoke/"),
    ("invitations:member_remove", {"pk": 7, "membership_id": 3}, "/programmes/7/members/3/remove/"),
    ("invitations:accept", {"token": "abc-DEF_1"}, "/invitations/abc-DEF_1/"),
    ("inbox:read", {}, "/inbox/read/"),
    ("reports:list", {}, "/reports/"),
    ("reports:run_status", {"pk": 7}, "/reports/runs/7/status/"),
    ("reports:detail", {"pk": 7}, "/reports/7/"),
    ("reports:pdf", {"pk": 7}, "/reports/7/report.pdf"),
]


@pytest.mark.parametrize(("name", "kwargs", "path"), ROUTES, ids=[r[0] for r in ROUTES])
def test_route_round_trips(name, kwargs, path):
    # given a named route and its arguments
    # when it is reversed and the result resolved again
    reversed_path = reverse(name, kwargs=kwargs)
    match = resolve(reversed_path)

    # then the path is the documented one and resolves back to the same name and arguments
    assert reversed_path == path
    assert match.view_name == name
    assert match.kwargs == kwargs
