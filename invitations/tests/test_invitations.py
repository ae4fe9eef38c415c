"""Issue 16 item 9 (people managed in the app) and item 11 (the programme page names the
target stage): invitations, acceptance, removal and the programme's target and period."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Programme, ProgrammeMembership, User
from accounts.roles import Role
from commissioning.models import Contact
from events.models import Event
from invitations.models import Invitation, token_hash
from tests.clients import client_for, texts
from ventures.models import TeamMembership

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver/invitations/([\w-]+)/")


def invite_url(programme) -> str:
    return reverse("invitations:create", args=[programme.pk])


def entrepreneur_form(venture, /, **overrides) -> dict:
    return {
        "name": "Nadia Hussain",
        "email": "Nadia.Hussain@Example.org",
        "role": "entrepreneur",
        "venture": str(venture.pk),
        "team_role": "co_founder",
        **overrides,
    }


def send(client, programme, data, capture):
    with capture(execute=True):
        return client.post(invite_url(programme), data)


def token_from(mail) -> str:
    return LINK.search(mail.body).group(1)


# --- inviting ---------------------------------------------------------------------------


def test_a_seir_invites_a_new_entrepreneur_and_one_exact_email_goes_out(
    programme, seir, venture, mailoutbox, django_capture_on_commit_callbacks
):
    # given the programme's SEiR on the invite form
    client = client_for(seir)

    # when they invite a person into the venture's team
    response = send(
        client, programme, entrepreneur_form(venture), django_capture_on_commit_callbacks
    )

    # then one invitation is stored, with the token's hash only, and one event
    assert response.status_code == 302
    assert response["Location"] == f"/programmes/{programme.pk}/#people"
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.name, invitation.role, invitation.venture) == (
        "nadia.hussain@example.org",
        "Nadia Hussain",
        "entrepreneur",
        venture,
    )
    assert invitation.team_role == "co_founder"
    assert invitation.invited_by == seir
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)
    assert list(
        Event.objects.filter(kind__startswith="invitation.").values_list("kind", flat=True)
    ) == ["invitation.created"]
    # and exactly one email, to the invitee, carrying the link whose hash is stored
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["nadia.hussain@example.org"]
    assert mail.subject == "You are invited to Birmingham East and North SEiR programme"
    assert "Samira Patel invited you to join Birmingham East and North SEiR programme" in mail.body
    assert "as Co-founder of Saheli Home Care." in mail.body
    token = token_from(mail)
    assert invitation.token_hash == token_hash(token)
    assert token not in str(Invitation.objects.values().get())
    assert texts(response) == [
        "Invitation sent to nadia.hussain@example.org. The link works once, for 14 days."
    ]


def test_a_double_submit_of_the_invite_form_invites_once(
    programme, seir, venture, mailoutbox, django_capture_on_commit_callbacks
):
    # given one rendered invite form (one submission token)
    client = client_for(seir)
    page = client.get(invite_url(programme))
    token = re.search(r'name="submission_token" value="([0-9a-f-]+)"', page.content.decode()).group(
        1
    )
    data = entrepreneur_form(venture, submission_token=token)

    # when it is posted twice
    send(client, programme, data, django_capture_on_commit_callbacks)
    second = send(client, programme, data, django_capture_on_commit_callbacks)

    # then one invitation, one event and one email
    assert second.status_code == 302
    assert Invitation.objects.count() == 1
    assert Event.objects.filter(kind="invitation.created").count() == 1
    assert len(mailoutbox) == 1


def test_a_second_waiting_invitation_to_the_same_role_is_refused(
    programme, seir, venture, mailoutbox, django_capture_on_commit_callbacks, snapshot
):
    client = client_for(seir)
    send(client, programme, entrepreneur_form(venture), django_capture_on_commit_callbacks)
    before = snapshot()

    response = send(
        client, programme, entrepreneur_form(venture), django_capture_on_commit_callbacks
    )

    assert response.status_code == 400
    assert "already has a waiting invitation to this role" in response.content.decode()
    assert snapshot() == before
    assert len(mailoutbox) == 1


def test_an_entrepreneur_invitation_needs_a_venture(
    programme, seir, venture, mailoutbox, django_capture_on_commit_callbacks, snapshot
):
    before = snapshot()

    response = send(
        client_for(seir),
        programme,
        entrepreneur_form(venture, venture=""),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 400
    assert "Choose the venture they will join." in response.content.decode()
    assert snapshot() == before
    assert mailoutbox == []


def test_a_venture_of_another_programme_cannot_be_named(
    programme, other_programme, seir, mailoutbox, django_capture_on_commit_callbacks, snapshot
):
    from ventures.factories import VentureFactory

    elsewhere = VentureFactory(programme=other_programme, name="Elsewhere CIC")
    before = snapshot()

    response = send(
        client_for(seir),
        programme,
        entrepreneur_form(elsewhere),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 400
    assert snapshot() == before
    assert mailoutbox == []


@pytest.mark.parametrize(
    "who, status",
    [("entrepreneur", 403), ("manager", 403), ("commissioner", 403), ("other_seir", 404)],
)
def test_only_the_programmes_staff_may_invite(
    request,
    programme,
    venture,
    who,
    status,
    mailoutbox,
    django_capture_on_commit_callbacks,
    snapshot,
):
    # given someone who is not the programme's SEiR or administrator
    client = client_for(request.getfixturevalue(who))
    before = snapshot()

    # when they open or post the invite form
    page = client.get(invite_url(programme))
    posted = send(client, programme, entrepreneur_form(venture), django_capture_on_commit_callbacks)

    # then they are refused and nothing is written or sent
    assert (page.status_code, posted.status_code) == (status, status)
    assert snapshot() == before
    assert mailoutbox == []


def test_the_programme_administrator_invites_a_pct_manager(
    programme, programme_administrator, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(programme_administrator)
    data = {
        "name": "Mo Khan",
        "email": "mo@example.nhs.uk",
        "role": "manager",
        "team_role": "member",
    }

    send(client, programme, data, django_capture_on_commit_callbacks)
    token = token_from(mailoutbox[0])
    invitee = Client()
    response = invitee.post(
        reverse("invitations:accept", args=[token]),
        {
            "first_name": "Mo",
            "last_name": "Khan",
            "password1": "long-Walk-2026",
            "password2": "long-Walk-2026",
        },
    )

    user = User.objects.get(email="mo@example.nhs.uk")
    assert response.status_code == 302 and response["Location"] == "/"
    assert list(user.programme_memberships.values_list("programme_id", "role")) == [
        (programme.pk, "manager")
    ]
    assert user.check_password("long-Walk-2026")


def test_a_commissioner_contact_is_linked_to_their_organisation(
    programme, seir, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    data = {
        "name": "Claire Evans",
        "email": "claire@hob.nhs.uk",
        "role": "commissioner",
        "commissioner": str(organisation.pk),
        "team_role": "member",
    }
    send(client_for(seir), programme, data, django_capture_on_commit_callbacks)
    token = token_from(mailoutbox[0])

    response = Client().post(
        reverse("invitations:accept", args=[token]),
        {
            "first_name": "Claire",
            "last_name": "Evans",
            "password1": "long-Walk-2026",
            "password2": "long-Walk-2026",
        },
    )

    user = User.objects.get(email="claire@hob.nhs.uk")
    assert response["Location"] == "/"
    assert list(user.programme_memberships.values_list("role", flat=True)) == ["commissioner"]
    contact = Contact.objects.get(user=user)
    assert (contact.commissioner, contact.name, contact.email) == (
        organisation,
        "Claire Evans",
        "claire@hob.nhs.uk",
    )


# --- accepting --------------------------------------------------------------------------


@pytest.fixture
def invited(programme, seir, venture, mailoutbox, django_capture_on_commit_callbacks):
    """A waiting invitation of Nadia into the venture's team, and the token from its email."""
    send(
        client_for(seir), programme, entrepreneur_form(venture), django_capture_on_commit_callbacks
    )
    return Invitation.objects.get(), token_from(mailoutbox[0])


GOOD = {
    "first_name": "Nadia",
    "last_name": "Hussain",
    "password1": "quiet-Harbour-77",
    "password2": "quiet-Harbour-77",
}


def test_the_invitee_sets_a_password_and_lands_signed_in_on_their_venture(
    invited, programme, venture, seir
):
    invitation, token = invited
    client = Client()
    url = reverse("invitations:accept", args=[token])

    # the page greets them with what they were invited into
    page = client.get(url)
    assert page.status_code == 200
    assert "invited you as <strong>Co-founder of Saheli Home Care</strong>" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")

    # when they set a password
    response = client.post(url, GOOD)

    # then an account is opened with the role and the team place, and they are signed in
    user = User.objects.get(email="nadia.hussain@example.org")
    assert response.status_code == 302
    assert response["Location"] == f"/ventures/{venture.pk}/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert user.username == "nadia.hussain@example.org"
    assert (user.first_name, user.last_name) == ("Nadia", "Hussain")
    assert user.check_password("quiet-Harbour-77")
    assert list(user.programme_memberships.values_list("programme_id", "role")) == [
        (programme.pk, "entrepreneur")
    ]
    assert list(TeamMembership.objects.filter(user=user).values_list("venture_id", "role")) == [
        (venture.pk, "co_founder")
    ]
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    assert client.get(f"/ventures/{venture.pk}/").status_code == 200
    accepted = Event.objects.get(kind="invitation.accepted")
    assert accepted.actor == user and accepted.data["new_account"] is True


def test_the_link_works_once(invited, snapshot):
    _, token = invited
    url = reverse("invitations:accept", args=[token])
    Client().post(url, GOOD)
    before = snapshot()

    again = Client().post(
        url, {**GOOD, "password1": "other-Harbour-88", "password2": "other-Harbour-88"}
    )

    assert again.status_code == 200
    assert "This invitation has already been used." in again.content.decode()
    assert snapshot() == before
    assert User.objects.get(email="nadia.hussain@example.org").check_password("quiet-Harbour-77")


def test_a_weak_password_is_refused_by_the_password_validators(invited, snapshot):
    _, token = invited
    before = snapshot()

    response = Client().post(
        reverse("invitations:accept", args=[token]),
        {**GOOD, "password1": "12345678", "password2": "12345678"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "This password is too common." in body
    assert "This password is entirely numeric." in body
    assert snapshot() == before


def test_mismatched_passwords_are_refused(invited, snapshot):
    _, token = invited
    before = snapshot()

    response = Client().post(
        reverse("invitations:accept", args=[token]), {**GOOD, "password2": "quiet-Harbour-78"}
    )

    assert response.status_code == 400
    assert "The two passwords are not the same." in response.content.decode()
    assert snapshot() == before


def test_an_expired_link_says_so_and_writes_nothing(invited, snapshot):
    invitation, token = invited
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    before = snapshot()

    page = Client().get(reverse("invitations:accept", args=[token]))
    posted = Client().post(reverse("invitations:accept", args=[token]), GOOD)

    assert "This invitation has expired." in page.content.decode()
    assert "This invitation has expired." in posted.content.decode()
    assert snapshot() == before


def test_a_revoked_link_says_so_and_writes_nothing(invited, programme, seir, snapshot):
    # given the SEiR revokes the waiting invitation from the programme page
    invitation, token = invited
    response = client_for(seir).post(
        reverse("invitations:revoke", args=[programme.pk, invitation.pk])
    )
    assert texts(response) == ["The invitation of nadia.hussain@example.org was revoked."]
    assert Event.objects.filter(kind="invitation.revoked").count() == 1
    before = snapshot()

    # when the invitee follows the link
    posted = Client().post(reverse("invitations:accept", args=[token]), GOOD)

    # then they are told, and nothing is written
    assert "This invitation was withdrawn by the programme" in posted.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("token", ["x", "0" * 43, "ü" * 300, "a%00b"])
def test_an_unknown_link_gets_a_clear_page(token, invited, snapshot):
    before = snapshot()

    response = Client().post(f"/invitations/{token}/", GOOD)

    assert response.status_code == 200
    assert "This invitation link is not valid." in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("who", ["entrepreneur", "manager", "commissioner", "other_seir"])
def test_only_the_programmes_staff_may_revoke(request, invited, programme, who, snapshot):
    invitation, _ = invited
    client = client_for(request.getfixturevalue(who))
    before = snapshot()

    response = client.post(reverse("invitations:revoke", args=[programme.pk, invitation.pk]))

    assert response.status_code == (404 if who == "other_seir" else 403)
    assert snapshot() == before


def test_an_existing_account_joins_the_role_instead_of_a_new_account(invited, programme, venture):
    # given an account with the invited email (in another case), not yet in the programme
    invitation, token = invited
    existing = User.objects.create_user(
        username="nadia", email="NADIA.HUSSAIN@example.org", password="own-Password-1"
    )
    url = reverse("invitations:accept", args=[token])

    # an anonymous visitor is asked to sign in, and posting writes nothing
    page = Client().get(url)
    assert "Sign in to accept" in page.content.decode()
    assert f'href="/accounts/login/?next=%2Finvitations%2F{token}%2F"' in page.content.decode()
    users = User.objects.count()
    Client().post(url, GOOD)
    assert User.objects.count() == users
    assert not ProgrammeMembership.objects.filter(user=existing).exists()

    # when they accept signed in as that account
    client = client_for(existing)
    response = client.post(url)

    # then that account joins the role and the team; no second account, password unchanged
    assert response["Location"] == f"/ventures/{venture.pk}/"
    assert User.objects.filter(email__iexact="nadia.hussain@example.org").count() == 1
    existing.refresh_from_db()
    assert existing.check_password("own-Password-1")
    assert list(existing.programme_memberships.values_list("role", flat=True)) == ["entrepreneur"]
    assert TeamMembership.objects.filter(user=existing, venture=venture).exists()
    assert Event.objects.get(kind="invitation.accepted").data["new_account"] is False


def test_another_signed_in_account_cannot_use_the_link(invited, manager, snapshot):
    _, token = invited
    before = snapshot()

    response = client_for(manager).post(reverse("invitations:accept", args=[token]))

    assert response.status_code == 200
    assert "This invitation was sent to nadia.hussain@example.org" in response.content.decode()
    assert snapshot() == before


def test_an_invitation_from_someone_who_lost_their_role_cannot_be_used(invited, seir, snapshot):
    invitation, token = invited
    ProgrammeMembership.objects.filter(user=seir).delete()
    before = snapshot()

    response = Client().post(reverse("invitations:accept", args=[token]), GOOD)

    assert "can no longer add people to this programme" in response.content.decode()
    assert snapshot() == before


# --- the scouting directory ---------------------------------------------------------------


def test_a_person_from_the_scouting_directory_is_invited_with_their_details(
    programme, seir, manager, venture, scouted
):
    person_page = reverse("scouting:person_detail", args=[scouted.pk])
    button = f'href="/programmes/{programme.pk}/invite/?person={scouted.pk}"'

    # the SEiR sees the button on the person's page; a PCT manager does not
    assert button in client_for(seir).get(person_page).content.decode()
    assert button not in client_for(manager).get(person_page).content.decode()

    # and the invite form opens prefilled with their name and email
    form = client_for(seir).get(f"{invite_url(programme)}?person={scouted.pk}").context["form"]
    assert (form.initial["name"], form.initial["email"], form.initial["role"]) == (
        "Priya Shah",
        "Priya.Shah@example.org",
        "entrepreneur",
    )


def test_the_invitation_remembers_the_scouted_person(
    programme, seir, venture, scouted, django_capture_on_commit_callbacks
):
    data = entrepreneur_form(
        venture, name="Priya Shah", email=scouted.email, person=str(scouted.pk)
    )

    send(client_for(seir), programme, data, django_capture_on_commit_callbacks)

    assert Invitation.objects.get().person == scouted


# --- members on the programme page --------------------------------------------------------


@pytest.fixture
def team_member(programme, venture):
    from accounts.factories import member

    user = member(
        programme, Role.ENTREPRENEUR, username="tomas", first_name="Tomas", last_name="Reid"
    )
    TeamMembership.objects.create(venture=venture, user=user, role="member")
    return user


def test_removing_an_entrepreneur_ends_their_access_at_once(programme, seir, venture, team_member):
    # given a team member who can open their venture
    theirs = client_for(team_member)
    assert theirs.get(f"/ventures/{venture.pk}/").status_code == 200
    membership = ProgrammeMembership.objects.get(user=team_member)
    url = reverse("invitations:member_remove", args=[programme.pk, membership.pk])

    # the confirmation names the team they leave
    confirm = client_for(seir).get(url)
    assert "Saheli Home Care" in confirm.content.decode()

    # when the SEiR removes their role
    response = client_for(seir).post(url)

    # then the role and the team place are gone, through the services (events), and
    # their very next request is refused
    assert texts(response) == [
        "Tomas Reid is no longer Entrepreneur of Birmingham East and North SEiR programme."
    ]
    assert not ProgrammeMembership.objects.filter(user=team_member).exists()
    assert not TeamMembership.objects.filter(user=team_member).exists()
    kinds = list(Event.objects.order_by("pk").values_list("kind", flat=True))[-2:]
    assert kinds == ["venture.team_member_removed", "programme.member_removed"]
    assert theirs.get(f"/ventures/{venture.pk}/").status_code == 404


def test_a_venture_lead_is_not_removed_until_another_lead_is_chosen(
    programme, seir, venture, entrepreneur, snapshot
):
    membership = ProgrammeMembership.objects.get(user=entrepreneur)
    before = snapshot()

    response = client_for(seir).post(
        reverse("invitations:member_remove", args=[programme.pk, membership.pk])
    )

    assert texts(response) == [
        "Saheli Home Care: Choose another lead entrepreneur before removing this one."
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    "who, status",
    [("entrepreneur", 403), ("manager", 403), ("commissioner", 403), ("other_seir", 404)],
)
def test_only_the_programmes_staff_may_remove_roles(
    request, programme, team_member, who, status, snapshot
):
    membership = ProgrammeMembership.objects.get(user=team_member)
    url = reverse("invitations:member_remove", args=[programme.pk, membership.pk])
    client = client_for(request.getfixturevalue(who))
    before = snapshot()

    assert client.get(url).status_code == status
    assert client.post(url).status_code == status
    assert snapshot() == before


def test_a_seir_cannot_remove_another_seir_but_the_administrator_can(
    programme, seir, programme_administrator, snapshot
):
    from accounts.factories import member

    second = member(programme, Role.SEIR, username="seir2", first_name="Sam")
    membership = ProgrammeMembership.objects.get(user=second)
    url = reverse("invitations:member_remove", args=[programme.pk, membership.pk])
    before = snapshot()

    assert client_for(seir).post(url).status_code == 403
    assert snapshot() == before
    client_for(programme_administrator).post(url)
    assert not ProgrammeMembership.objects.filter(pk=membership.pk).exists()


def test_the_programme_page_lists_members_with_remove_and_waiting_invitations(
    invited, programme, seir, team_member, manager
):
    body = client_for(seir).get(reverse("programmes:detail", args=[programme.pk])).content.decode()

    assert 'aria-label="Remove Tomas Reid as Entrepreneur"' in body
    assert 'aria-label="Remove Samira Patel as SEiR"' not in body  # not their own role
    assert "Nadia Hussain" in body and "Co-founder of Saheli Home Care" in body
    assert f'href="/programmes/{programme.pk}/invite/"' in body
    # a manager sees the members, with nothing to change
    seen = client_for(manager).get(reverse("programmes:detail", args=[programme.pk]))
    assert "Remove" not in seen.content.decode()
    assert "Invite a person" not in seen.content.decode()


# --- the programme's target and period ----------------------------------------------------


def test_the_programme_page_names_the_target_stage(programme, entrepreneur):
    # issue 16 item 11: the stage's name, not its code
    body = client_for(entrepreneur).get(reverse("programmes:detail", args=[programme.pk]))

    assert "reaching the “Pilot / modest project” stage" in body.content.decode()
    assert "“pilot”" not in body.content.decode()


def test_the_administrator_edits_target_stage_and_period_with_one_event(
    programme, programme_administrator
):
    url = reverse("invitations:programme_settings", args=[programme.pk])
    client = client_for(programme_administrator)
    assert client.get(url).status_code == 200
    start = programme.start_date

    response = client.post(
        url,
        {
            "target_ventures": "12",
            "target_stage_code": "growth",
            "start_date": start.isoformat(),
            "end_date": (start + datetime.timedelta(days=500)).isoformat(),
        },
    )

    programme.refresh_from_db()
    assert response.status_code == 302
    assert (programme.target_ventures, programme.target_stage_code) == (12, "growth")
    assert programme.end_date == start + datetime.timedelta(days=500)
    event = Event.objects.get(kind="programme.settings_changed")
    assert [c["field"] for c in event.data["changes"]] == [
        "target_ventures",
        "target_stage_code",
        "end_date",
    ]
    assert event.data["changes"][1]["new"] == "Growth"
    assert texts(response) == ["The programme's target and period were saved."]


def test_the_administrator_sets_when_a_venture_is_stuck_or_quiet(
    programme, programme_administrator
):
    # The dashboard's stuck and quiet figures and the quiet-venture reminders read these.
    url = reverse("invitations:programme_settings", args=[programme.pk])
    response = client_for(programme_administrator).post(
        url,
        {
            "target_ventures": str(programme.target_ventures),
            "target_stage_code": programme.target_stage_code,
            "start_date": programme.start_date.isoformat(),
            "end_date": programme.end_date.isoformat(),
            "stuck_after_days": "90",
            "quiet_after_days": "30",
        },
    )

    programme.refresh_from_db()
    assert response.status_code == 302
    assert (programme.stuck_after_days, programme.quiet_after_days) == (90, 30)
    event = Event.objects.get(kind="programme.settings_changed")
    assert [c["field"] for c in event.data["changes"]] == ["stuck_after_days", "quiet_after_days"]


def test_an_end_before_the_start_is_refused(programme, programme_administrator, snapshot):
    url = reverse("invitations:programme_settings", args=[programme.pk])
    before = (snapshot(), Programme.objects.values().get(pk=programme.pk))

    response = client_for(programme_administrator).post(
        url,
        {
            "target_ventures": "99999999999999999999",
            "target_stage_code": "no-such-stage",
            "start_date": programme.start_date.isoformat(),
            "end_date": (programme.start_date - datetime.timedelta(days=1)).isoformat(),
        },
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Ensure this value is less than or equal to 1000." in body
    assert "Select a valid choice." in body
    assert (snapshot(), Programme.objects.values().get(pk=programme.pk)) == before


@pytest.mark.parametrize(
    "who, status", [("seir", 403), ("manager", 403), ("entrepreneur", 403), ("other_seir", 404)]
)
def test_only_the_programmes_administrators_edit_its_target(
    request, programme, who, status, snapshot
):
    url = reverse("invitations:programme_settings", args=[programme.pk])
    client = client_for(request.getfixturevalue(who))
    before = (snapshot(), Programme.objects.values().get(pk=programme.pk))

    assert client.get(url).status_code == status
    assert client.post(url, {"target_ventures": "1"}).status_code == status
    assert (snapshot(), Programme.objects.values().get(pk=programme.pk)) == before


def test_removing_a_commissioner_says_their_contact_link_goes_too(
    programme, seir, commissioner, organisation
):
    Contact.objects.create(commissioner=organisation, name="Claire", user=commissioner)
    membership = ProgrammeMembership.objects.get(user=commissioner)

    page = client_for(seir).get(
        reverse("invitations:member_remove", args=[programme.pk, membership.pk])
    )

    body = page.content.decode()
    assert "Their account is also unlinked from every commissioner organisation" in body
    assert "Heart of Birmingham PCT" in body
    assert "Their contact records stay in the commissioner directory" in body
