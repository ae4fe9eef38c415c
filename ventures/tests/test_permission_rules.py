"""The rules in ventures.permissions, one function each, and the page answering them."""

import pytest
from django.urls import reverse

from ventures import permissions, services
from ventures.models import NoteVisibility, Venture, VentureStatus

pytestmark = pytest.mark.django_db

ROLES = ["administrator", "seir", "entrepreneur", "manager", "other_entrepreneur", "other_seir"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # role:          move, status, edit, lead, note, staff note, staff notes, team, gate, revert, log
        ("administrator", (True, True, True, True, True, True, True, True, True, True, True)),
        ("seir", (True, True, True, True, True, True, True, True, True, True, True)),
        (
            "entrepreneur",
            (False, False, True, False, True, False, False, False, False, False, False),
        ),
        ("manager", (False,) * 11),
        ("other_entrepreneur", (False,) * 11),
        ("other_seir", (False,) * 11),
    ],
)
def test_each_rule_by_role(request, venture, role, expected):
    user = request.getfixturevalue(role)
    assert (
        permissions.can_move(user, venture),
        permissions.can_change_status(user, venture),
        permissions.can_edit_field(user, venture, "summary"),
        permissions.can_edit_field(user, venture, "lead"),
        permissions.can_add_note(user, venture, NoteVisibility.TEAM),
        permissions.can_add_note(user, venture, NoteVisibility.STAFF),
        permissions.can_see_staff_notes(user, venture),
        permissions.can_manage_team(user, venture),
        permissions.can_confirm_gate(user, venture),
        permissions.can_revert(user, venture),
        permissions.can_see_activity_log(user, venture),
    ) == expected


@pytest.mark.parametrize("status", [VentureStatus.PAUSED, VentureStatus.CLOSED])
def test_only_active_ventures_move_and_the_page_says_so_once(client, venture, seir, status):
    services.venture_set_status(actor=seir, venture=venture, to_status=status, reason="Pause.")
    venture.refresh_from_db()
    assert permissions.can_move(seir, venture) is False
    assert permissions.venture_perms(seir, venture).can_move is False
    client.force_login(seir)
    page = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()
    assert "Move stage" not in page
    assert reverse("ventures:move", args=[venture.pk]) not in page


def test_editable_fields_are_the_team_or_staff_sets(venture, seir, entrepreneur, manager):
    assert permissions.editable_fields(seir, venture) == permissions.STAFF_EDITABLE_FIELDS
    assert permissions.editable_fields(entrepreneur, venture) == permissions.TEAM_EDITABLE_FIELDS
    assert permissions.editable_fields(manager, venture) == ()
    assert set(permissions.TEAM_EDITABLE_FIELDS) < set(permissions.STAFF_EDITABLE_FIELDS)


def test_list_sorts_by_last_activity(client, seir, venture, other_venture, days_ago):
    Venture.objects.filter(pk=venture.pk).update(last_activity_at=days_ago(5))
    Venture.objects.filter(pk=other_venture.pk).update(last_activity_at=days_ago(1))
    client.force_login(seir)
    response = client.get(reverse("ventures:list"), {"sort": "-activity"})
    assert [v.pk for v in response.context["page"].object_list] == [other_venture.pk, venture.pk]
