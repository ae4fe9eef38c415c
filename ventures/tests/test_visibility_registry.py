"""The seam through which another app (commissioning) grants read-only visibility."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from ventures import permissions, selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(monkeypatch):
    monkeypatch.setattr(permissions, "_read_only_visibility", [])
    return permissions.register_read_only_visibility


def test_without_a_provider_a_commissioner_sees_nothing(client, commissioner, venture):
    client.force_login(commissioner)
    assert list(selectors.ventures_visible_to(user=commissioner)) == []
    assert client.get(reverse("ventures:detail", args=[venture.pk])).status_code == 404


def test_a_registered_provider_grants_read_only_access_to_exactly_its_ventures(
    client, grant, commissioner, venture, other_venture
):
    # given: a provider that shows commissioners the venture "introduced" to them
    from accounts.permissions import user_roles
    from ventures.models import Venture

    def introduced(user):
        if Role.COMMISSIONER in user_roles(user):
            return Venture.objects.filter(pk=venture.pk).values("id")
        return Venture.objects.none().values("id")

    grant(introduced)
    client.force_login(commissioner)

    # then: that venture, read-only; not the other one
    assert list(selectors.ventures_visible_to(user=commissioner)) == [venture]
    access = permissions.venture_access(commissioner, venture)
    assert (access.view, access.edit_profile, access.manage, access.add_notes) == (
        True,
        False,
        False,
        False,
    )
    assert client.get(reverse("ventures:detail", args=[venture.pk])).status_code == 200
    assert client.get(reverse("ventures:edit", args=[venture.pk])).status_code == 403
    assert client.get(reverse("ventures:detail", args=[other_venture.pk])).status_code == 404


def test_a_read_only_grant_sees_the_profile_but_not_notes_evidence_or_timeline(
    client, grant, commissioner, seir, venture, stages
):
    # given a team note and a confirmed gate condition with evidence
    from ventures import services
    from ventures.models import GateCondition, Venture

    services.venture_note_add(
        actor=seir, venture=venture, body="Team-only thought", visibility="team"
    )
    condition = GateCondition.objects.filter(stage=stages["idea"], kind="confirmed").first()
    services.gate_condition_confirm(
        actor=seir, venture=venture, condition=condition, evidence="Needs assessment 2009"
    )
    grant(lambda user: Venture.objects.filter(pk=venture.pk).values("id"))

    # when the commissioner reads the venture
    client.force_login(commissioner)
    page = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()

    # then the profile shows, the activity and evidence do not
    assert "Sport and social activities for women." in page
    assert "Team-only thought" not in page
    assert "Needs assessment 2009" not in page
    assert 'id="timeline-title"' not in page
    assert client.get(reverse("ventures:timeline", args=[venture.pk])).status_code == 404
    # while the team still sees all of it
    client.force_login(seir)
    page = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()
    assert "Team-only thought" in page and "Needs assessment 2009" in page
