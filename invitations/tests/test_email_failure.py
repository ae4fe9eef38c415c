"""A mail server that cannot be reached while an invitation is sent: the invitation stays
saved, the page says plainly that the email did not go, and nothing fails."""

from __future__ import annotations

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from invitations.models import Invitation
from tests.clients import client_for, texts
from tests.reference_data import reference_data_restore

# Transactional, as in production: the invitation commits inside the request and its
# email goes at that commit, before the page's message is written.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def reference_data():
    """The migrations' reference rows (default stages among them), which a transactional
    test's flush removes."""
    reference_data_restore()


class UnreachableMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


def test_an_unreachable_mail_server_leaves_the_invitation_and_says_the_email_did_not_go(
    reference_data, programme, seir, venture, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableMailServer"
    client = client_for(seir)
    response = client.post(
        reverse("invitations:create", args=[programme.pk]),
        {
            "name": "Nadia Hussain",
            "email": "nadia@example.org",
            "role": "entrepreneur",
            "venture": str(venture.pk),
            "team_role": "co_founder",
        },
    )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "nadia@example.org"
    assert texts(response) == [
        "The invitation of nadia@example.org is saved, but the email could not be sent. "
        "Revoke it below and invite them again once email works."
    ]
