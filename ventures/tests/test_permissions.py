"""Visibility through HTTP beyond the role matrix (test_permission_matrix.py): guessed
URLs and SEiR-only notes."""

import pytest
from django.urls import reverse

from ventures import services
from ventures.models import NoteVisibility, VentureNote

pytestmark = pytest.mark.django_db


def test_entrepreneur_guessing_another_teams_venture_gets_404_and_changes_nothing(
    client, venture, other_entrepreneur, snapshot
):
    # given: an entrepreneur who is not on the venture's team
    client.force_login(other_entrepreneur)
    before = snapshot(venture)

    # when
    responses = [
        client.get(reverse("ventures:detail", args=[venture.pk])),
        client.get(reverse("ventures:edit", args=[venture.pk])),
        client.post(
            reverse("ventures:edit", args=[venture.pk]), {"name": "Hijacked", "version": 1}
        ),
        client.post(
            reverse("ventures:note_add", args=[venture.pk]), {"body": "Hello", "visibility": "team"}
        ),
    ]

    # then
    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert "Saheli" not in responses[0].content.decode()
    assert snapshot(venture) == before


def test_unknown_venture_is_404_like_an_invisible_one(client, seir, venture):
    client.force_login(seir)

    response = client.get(reverse("ventures:detail", args=[venture.pk + 1000]))

    assert response.status_code == 404


# --- what each role sees -----------------------------------------------------------


@pytest.fixture
def notes(venture, seir):
    services.venture_note_add(
        actor=seir,
        venture=venture,
        body="Board needs strengthening.",
        visibility=NoteVisibility.STAFF,
    )
    services.venture_note_add(
        actor=seir,
        venture=venture,
        body="Good progress at the review.",
        visibility=NoteVisibility.TEAM,
    )
    return VentureNote.objects.filter(venture=venture)


@pytest.mark.parametrize(
    ("role", "sees_staff_note"),
    [("seir", True), ("administrator", True), ("manager", False), ("entrepreneur", False)],
)
def test_seir_only_notes_hidden_from_team_and_managers(
    request, client, venture, notes, role, sees_staff_note
):
    # given
    client.force_login(request.getfixturevalue(role))

    # when
    html = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()

    # then
    assert "Good progress at the review." in html
    assert ("Board needs strengthening." in html) is sees_staff_note
    assert ("SEiR only" in html) is sees_staff_note
