"""One programme with a person in every role, a second programme, a venture and a
commissioning organisation; ``snapshot`` proves a refused action wrote nothing."""

from __future__ import annotations

import pytest

from accounts.models import ProgrammeMembership, User
from commissioning.factories import CommissionerFactory
from commissioning.models import Contact
from events.models import Event
from invitations.models import Invitation
from scouting.factories import PersonFactory
from ventures.factories import VentureFactory
from ventures.models import TeamMembership


@pytest.fixture
def venture(programme, seir, entrepreneur):
    return VentureFactory(
        programme=programme, name="Saheli Home Care", seir=seir, lead=entrepreneur
    )


@pytest.fixture
def organisation():
    return CommissionerFactory(name="Heart of Birmingham PCT")


@pytest.fixture
def scouted(programme):
    return PersonFactory(programme=programme, name="Priya Shah", email="Priya.Shah@example.org")


@pytest.fixture
def snapshot():
    """Everything inviting, accepting or removing could write."""

    def take() -> dict:
        return {
            "invitations": sorted(
                Invitation.objects.values_list("pk", "accepted_at", "revoked_at")
            ),
            "users": User.objects.count(),
            "memberships": sorted(
                ProgrammeMembership.objects.values_list("programme_id", "user_id", "role")
            ),
            "teams": sorted(TeamMembership.objects.values_list("venture_id", "user_id", "role")),
            "contacts": Contact.objects.count(),
            "events": Event.objects.count(),
        }

    return take
