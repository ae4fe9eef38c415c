"""Two invitations to one new email address, accepted at the same moment (PostgreSQL,
two connections): one account is opened; the second acceptance is told an account with
that address exists and to sign in, and writes nothing.

Both passed the "no account with this email" check before either had committed, both
chose the same username and the second broke its unique key (an error page).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from events.models import Event
from invitations import services
from invitations.models import Invitation
from tests.concurrency import TWO_CONNECTIONS, race
from ventures.models import TeamMembership

pytestmark = TWO_CONNECTIONS

EXISTS = "An account with this email address already exists: sign in to accept."
GOOD = {
    "first_name": "Nadia",
    "last_name": "Hussain",
    "password1": "quiet-Harbour-77",
    "password2": "quiet-Harbour-77",
}


@pytest.fixture
def tokens(programme, seir, venture, other_venture) -> list[str]:
    """Nadia invited into two ventures' teams: two waiting invitations, two links."""
    links = []
    for each in (venture, other_venture):
        services.invitation_create(
            actor=seir,
            programme=programme,
            email="Nadia.Hussain@Example.org",
            name="Nadia Hussain",
            role="entrepreneur",
            venture=each,
            team_role="co_founder",
            link_for=links.append,
        )
    return links


def accept(token):
    return lambda: services.invitation_accept(
        token=token, first_name="Nadia", last_name="Hussain", password="quiet-Harbour-77"
    )


def test_two_invitations_accepted_at_once_open_one_account(tokens, venture):
    raised = race(accept(tokens[0]), accept(tokens[1]))

    assert [type(error) for error in raised] == [services.InvitationUnusable]
    assert raised[0].message == EXISTS
    user = User.objects.get(email="nadia.hussain@example.org")
    assert user.username == "nadia.hussain@example.org"
    assert list(TeamMembership.objects.filter(user=user).values_list("venture", flat=True)) == [
        venture.pk
    ]
    assert list(Invitation.objects.order_by("pk").values_list("accepted_by", flat=True)) == [
        user.pk,
        None,
    ]
    assert Event.objects.filter(kind="invitation.accepted").count() == 1


def test_the_second_link_answers_with_a_page_saying_to_sign_in(tokens):
    responses = []

    def post():
        responses.append(Client().post(reverse("invitations:accept", args=[tokens[1]]), GOOD))

    assert race(accept(tokens[0]), post) == []

    assert responses[0].status_code == 200
    assert EXISTS in responses[0].content.decode()
    assert User.objects.filter(email="nadia.hussain@example.org").count() == 1
    assert Invitation.objects.filter(accepted_at__isnull=True).count() == 1
