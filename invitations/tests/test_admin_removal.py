"""Taking a role away in the Django admin ends the access it gave, as on the programme's
page: the admin calls the same ``member_remove`` (an entrepreneur leaves the programme's
venture teams, a commissioner's account leaves the organisations), and a refusal there
is a message that changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.factories import member
from accounts.models import Programme, ProgrammeMembership
from accounts.roles import Role
from commissioning import services as commissioning_services
from commissioning.factories import ContactFactory
from commissioning.models import Contact
from events.models import Event
from tests.clients import client_for, texts
from tests.html_forms import page_form
from ventures.models import TeamMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_member(programme, venture):
    user = member(
        programme, Role.ENTREPRENEUR, username="tomas", first_name="Tomas", last_name="Reid"
    )
    TeamMembership.objects.create(venture=venture, user=user, role="member")
    return user


@pytest.fixture
def claire(programme):
    return member(
        programme, Role.COMMISSIONER, username="claire", first_name="Claire", last_name="Evans"
    )


@pytest.fixture
def intro(seir, venture, organisation, claire):
    contact = ContactFactory(commissioner=organisation, name="Claire Evans", user=claire)
    return commissioning_services.introduction_make(
        actor=seir,
        venture=venture,
        contact=contact,
        purpose="Falls",
        made_on=venture.created_at.date(),
    )


def _membership(user) -> ProgrammeMembership:
    return ProgrammeMembership.objects.get(user=user)


def _delete_on_its_page(administrator, membership):
    return client_for(administrator).post(
        reverse("admin:accounts_programmemembership_delete", args=[membership.pk]),
        {"post": "yes"},
    )


def _delete_in_the_programmes_inline(administrator, programme, membership, **typed):
    data = {
        "name": programme.name,
        "host_organisation": programme.host_organisation,
        **typed,
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(membership.pk),
        "memberships-0-programme": str(programme.pk),
        "memberships-0-user": str(membership.user_id),
        "memberships-0-role": membership.role,
        "memberships-0-DELETE": "on",
    }
    return client_for(administrator).post(
        reverse("admin:accounts_programme_change", args=[programme.pk]), data
    )


def _delete_selected(administrator, membership):
    return client_for(administrator).post(
        reverse("admin:accounts_programmemembership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )


WAYS = {
    "its own page": lambda admin, programme, membership: _delete_on_its_page(admin, membership),
    "the programme's inline": _delete_in_the_programmes_inline,
    "delete selected": lambda admin, programme, membership: _delete_selected(admin, membership),
}


@pytest.mark.parametrize("way", WAYS)
def test_an_entrepreneur_removed_in_the_admin_leaves_the_venture_team(
    way, administrator, programme, venture, team_member
):
    # given: a team member who can open their venture
    theirs = client_for(team_member)
    assert theirs.get(f"/ventures/{venture.pk}/").status_code == 200

    # when: an administrator deletes their role in the admin
    response = WAYS[way](administrator, programme, _membership(team_member))

    # then: the role and the team place are gone, with both events, and the venture
    # answers 404 at their very next request
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not ProgrammeMembership.objects.filter(user=team_member).exists()
    assert list(TeamMembership.objects.filter(user=team_member)) == []
    kinds = list(Event.objects.order_by("pk").values_list("kind", flat=True))[-2:]
    assert kinds == ["venture.team_member_removed", "programme.member_removed"]
    assert theirs.get(f"/ventures/{venture.pk}/").status_code == 404


@pytest.mark.parametrize("way", WAYS)
def test_a_commissioner_removed_in_the_admin_no_longer_sees_the_introduction(
    way, administrator, programme, claire, intro
):
    # given: Claire, linked to her contact, sees the introduction
    theirs = client_for(claire)
    introductions = reverse("commissioning:introductions")
    listed = theirs.get(introductions).context["columns"]
    assert [i.pk for column in listed for i in column.items] == [intro.pk]

    # when: an administrator deletes her role in the admin
    response = WAYS[way](administrator, programme, _membership(claire))

    # then: her account is unlinked from the contact (which stays), and the
    # introductions are refused her at once
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not ProgrammeMembership.objects.filter(user=claire).exists()
    assert list(Contact.objects.filter(user=claire)) == []
    assert Contact.objects.get(name="Claire Evans").user is None
    kinds = list(Event.objects.order_by("pk").values_list("kind", flat=True))[-2:]
    assert kinds == ["commissioning.account_unlinked", "programme.member_removed"]
    assert theirs.get(introductions).status_code == 404
    assert theirs.get(reverse("commissioning:introduction", args=[intro.pk])).status_code == 404


# The programme's inline refuses in its form instead (below).
@pytest.mark.parametrize("way", [way for way in WAYS if way != "the programme's inline"])
def test_a_refused_removal_in_the_admin_is_a_message_and_changes_nothing(
    way, administrator, programme, venture, entrepreneur, snapshot
):
    # given: the venture's lead entrepreneur, who cannot leave its team yet
    before = snapshot()

    # when: an administrator deletes their role in the admin
    response = WAYS[way](administrator, programme, _membership(entrepreneur))

    # then: the page again with the refusal, and nothing changed
    assert response.status_code == 302
    assert texts(response) == [
        "Saheli Home Care: Choose another lead entrepreneur before removing this one."
    ]
    assert snapshot() == before


def test_delete_selected_removes_all_the_roles_or_none(
    administrator, programme, venture, entrepreneur, claire, intro, snapshot
):
    # given: Claire's role, which goes first (by role), and the lead entrepreneur's,
    # which is refused
    before = snapshot()
    selected = [_membership(claire).pk, _membership(entrepreneur).pk]

    # when: an administrator deletes both at once
    response = client_for(administrator).post(
        reverse("admin:accounts_programmemembership_changelist"),
        {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
    )

    # then: the refusal, and Claire keeps her role and her contact's link
    assert texts(response) == [
        "Saheli Home Care: Choose another lead entrepreneur before removing this one."
    ]
    assert snapshot() == before
    assert Contact.objects.get(name="Claire Evans").user == claire


LEAD_REFUSED = "Saheli Home Care: Choose another lead entrepreneur before removing this one."
REFUSALS = {
    "the venture's lead entrepreneur": ("entrepreneur", LEAD_REFUSED),
    "their own role": ("administrator", "You cannot remove this role."),
}


@pytest.mark.parametrize("refusal", REFUSALS)
def test_a_refused_removal_in_the_programmes_inline_keeps_the_other_edits(
    refusal, request, administrator, programme, venture, entrepreneur, snapshot
):
    # given: the programme's admin page, and a role the administrator may not take away
    who, refused = REFUSALS[refusal]
    membership = _membership(request.getfixturevalue(who))
    client = client_for(administrator)
    url = reverse("admin:accounts_programme_change", args=[programme.pk])
    form = page_form(client.get(url).content, containing="name")
    [row] = [
        key.removesuffix("-id")
        for key, value in form.values.items()
        if key.startswith("memberships-") and key.endswith("-id") and value == str(membership.pk)
    ]
    before = snapshot()
    programme_before = Programme.objects.filter(pk=programme.pk).values().get()

    # when: they rename the programme and tick that role's Delete box in one save
    typed = {
        **form.values,
        "name": "Birmingham East SEiR programme",
        "host_organisation": "Birmingham City Council",
        f"{row}-DELETE": "on",
    }
    response = client.post(url, typed)

    # then: the form again, the refusal on the role's row, what they typed kept, the box
    # still ticked, and nothing saved (not the rename either)
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert refused in page
    assert 'value="Birmingham East SEiR programme"' in page
    assert 'value="Birmingham City Council"' in page
    inline = response.context["inline_admin_formsets"][0].formset
    [shown] = [f for f in inline.forms if f.instance.pk == membership.pk]
    assert shown.non_field_errors() == [refused]
    assert shown.cleaned_data["DELETE"] is True
    assert texts(response) == []
    assert snapshot() == before
    assert Programme.objects.filter(pk=programme.pk).values().get() == programme_before


def test_an_allowed_removal_in_the_programmes_inline_saves_with_the_other_edits(
    administrator, programme, venture, team_member
):
    # when: the programme is renamed and a team member's role deleted in one save
    response = _delete_in_the_programmes_inline(
        administrator, programme, _membership(team_member), name="Birmingham East SEiR programme"
    )

    # then: both saved
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Programme.objects.get(pk=programme.pk).name == "Birmingham East SEiR programme"
    assert not ProgrammeMembership.objects.filter(user=team_member).exists()
    assert list(TeamMembership.objects.filter(user=team_member)) == []
