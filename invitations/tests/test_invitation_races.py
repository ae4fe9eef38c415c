"""Two staff members inviting the same person into the same role at once (PostgreSQL, two
connections): one invitation and one email; the second gets the refusal a later invite
gets. Without the programme's row lock both passed the "a pending invitation exists"
check before either committed, and the person got two invitations and two emails.
SQLite lets one writing transaction at a time, so there is no race to test there."""

from __future__ import annotations

from django.core import mail
from django.core.exceptions import ValidationError

from events.models import Event
from invitations.models import Invitation
from invitations.services import invitation_create
from tests.concurrency import TWO_CONNECTIONS, race

pytestmark = TWO_CONNECTIONS


def inviting(actor, programme, venture, email):
    return lambda: invitation_create(
        actor=actor,
        programme=programme,
        email=email,
        name="Nadia Hussain",
        role="entrepreneur",
        venture=venture,
        team_role="co_founder",
        link_for=lambda token: f"http://testserver/invitations/{token}/",
    )


def test_two_staff_inviting_the_same_person_at_once_send_one_invitation(
    programme, seir, programme_administrator, venture
):
    # When: the SEiR and an administrator invite Nadia into the team at the same moment
    raised = race(
        inviting(seir, programme, venture, "nadia.hussain@example.org"),
        inviting(programme_administrator, programme, venture, "Nadia.Hussain@Example.org"),
    )

    # Then: the second is refused as an invite after the first would be
    assert [type(error) for error in raised] == [ValidationError]
    assert raised[0].message_dict == {
        "email": [
            "nadia.hussain@example.org already has a waiting invitation to this role. "
            "Revoke it on the programme page to send a new one."
        ]
    }
    # and Nadia has the first one only, with one email and one event
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.invited_by) == ("nadia.hussain@example.org", seir)
    assert [m.to for m in mail.outbox] == [["nadia.hussain@example.org"]]
    assert Event.objects.filter(kind="invitation.created").count() == 1


def test_two_people_invited_at_once_both_get_their_invitation(
    programme, seir, programme_administrator, venture
):
    # The lock only makes the second wait: a different person is invited as usual.
    raised = race(
        inviting(seir, programme, venture, "nadia@example.org"),
        inviting(programme_administrator, programme, venture, "omar@example.org"),
    )
    assert raised == []
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "nadia@example.org",
        "omar@example.org",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["nadia@example.org", "omar@example.org"]
