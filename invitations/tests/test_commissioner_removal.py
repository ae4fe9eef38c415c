"""Removing a commissioner's role on the programme page ends their sight of introductions
at once: their account leaves the commissioner organisations whose introductions in the
programme they could see (commissioning's ``commissioner_account_unlink``), in the same
transaction; the contact records stay in the directory."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.factories import member
from accounts.models import ProgrammeMembership
from accounts.roles import Role
from accounts.services import membership_add
from commissioning import services as commissioning_services
from commissioning.factories import CommissionerFactory, ContactFactory, PriorityFactory
from commissioning.models import Commissioner, Contact, Introduction, OutcomeDomain, Priority
from events.models import Event
from tests.clients import client_for, texts
from ventures.factories import VentureFactory

pytestmark = pytest.mark.django_db

INTRODUCTIONS_LINK = '<a class="nav-link" href="/commissioning/introductions/">Introductions</a>'
UNLINKED = "commissioning.account_unlinked"


def nav(client) -> str:
    response = client.get(reverse("programmes:list"))
    assert response.status_code == 200
    return response.content.decode()


def listed(client) -> list[int] | int:
    """The introductions the pipeline page lists, or its status when it is refused."""
    response = client.get(reverse("commissioning:introductions"))
    if response.status_code != 200:
        return response.status_code
    return sorted(i.pk for column in response.context["columns"] for i in column.items)


def detail(client, introduction) -> int:
    return client.get(reverse("commissioning:introduction", args=[introduction.pk])).status_code


def remove_url(programme, user) -> str:
    membership = ProgrammeMembership.objects.get(
        programme=programme, user=user, role=Role.COMMISSIONER
    )
    return reverse("invitations:member_remove", args=[programme.pk, membership.pk])


def made_on() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=3)


@pytest.fixture
def claire(programme):
    return member(
        programme,
        Role.COMMISSIONER,
        username="claire",
        first_name="Claire",
        last_name="Evans",
        email="claire@hob.nhs.uk",
    )


@pytest.fixture
def claire_contact(organisation, claire):
    """Claire is the named contact of the PCT, with her account linked."""
    return ContactFactory(
        commissioner=organisation, name="Claire Evans", email="claire@hob.nhs.uk", user=claire
    )


@pytest.fixture
def council(claire):
    """The council, which Claire acts for as a member (no contact record)."""
    council = CommissionerFactory(name="Birmingham City Council")
    council.members.add(claire)
    return council


@pytest.fixture
def intro(seir, venture, claire_contact):
    return commissioning_services.introduction_make(
        actor=seir, venture=venture, contact=claire_contact, purpose="Falls", made_on=made_on()
    )


@pytest.fixture
def council_intro(seir, venture, council):
    contact = ContactFactory(commissioner=council, name="Colin Council")
    return commissioning_services.introduction_make(
        actor=seir, venture=venture, contact=contact, purpose="Carers", made_on=made_on()
    )


@pytest.fixture
def directory():
    """Everything of the organisations besides the account links."""

    def take() -> dict:
        return {
            "commissioners": list(Commissioner.objects.order_by("pk").values()),
            "contacts": list(Contact.objects.order_by("pk").values()),
            "priorities": list(Priority.objects.order_by("pk").values()),
            "introductions": list(Introduction.objects.order_by("pk").values()),
        }

    return take


def links(user) -> dict:
    return {
        "contacts": sorted(Contact.objects.filter(user=user).values_list("name", flat=True)),
        "members": sorted(user.commissioner_organisations.values_list("name", flat=True)),
    }


def test_removing_a_commissioner_ends_their_sight_of_introductions_at_once(
    programme, seir, claire, claire_contact, council, intro, council_intro, directory
):
    # given Claire sees both introductions (through her contact and her membership), and
    # every page's navigation offers them, the answer kept in the cache
    PriorityFactory(
        commissioner=council, title="Carers' breaks", domain=OutcomeDomain.objects.first()
    )
    theirs = client_for(claire)
    assert listed(theirs) == sorted([intro.pk, council_intro.pk])
    assert (detail(theirs, intro), detail(theirs, council_intro)) == (200, 200)
    assert INTRODUCTIONS_LINK in nav(theirs)
    assert INTRODUCTIONS_LINK in nav(theirs)
    url = remove_url(programme, claire)
    before = directory()

    # the confirmation says what will happen
    page = client_for(seir).get(url).content.decode()
    assert (
        "Their account is also unlinked from every commissioner organisation it acts for:" in page
    )
    assert ">Birmingham City Council</a></li>" in page
    assert ">Heart of Birmingham PCT</a></li>" in page
    assert "stay visible" not in page

    # when the SEiR removes the role
    response = client_for(seir).post(url)

    # then her very next request is refused everywhere: no page, no introduction, no link
    assert texts(response) == [
        "Claire Evans is no longer Commissioner of Birmingham East and North SEiR programme."
    ]
    assert listed(theirs) == 404
    assert (detail(theirs, intro), detail(theirs, council_intro)) == (404, 404)
    assert INTRODUCTIONS_LINK not in nav(theirs)

    # only the account links went: the contact record, the organisations, their
    # priorities and the introductions are as they were
    assert links(claire) == {"contacts": [], "members": []}
    after = directory()
    for row in before["contacts"]:
        row["user_id"] = None
    assert after == before
    assert Contact.objects.get(pk=claire_contact.pk).name == "Claire Evans"

    # one event for the unlinking, then the role's own
    kinds = list(Event.objects.order_by("pk").values_list("kind", flat=True))[-2:]
    assert kinds == [UNLINKED, "programme.member_removed"]
    event = Event.objects.get(kind=UNLINKED)
    assert (event.actor, event.programme, event.visibility, event.data) == (
        seir,
        programme,
        "staff",
        {
            "name": "Claire Evans",
            "programme": "Birmingham East and North SEiR programme",
            "organisations": ["Birmingham City Council", "Heart of Birmingham PCT"],
            "contacts": 1,
            "everywhere": True,
        },
    )


@pytest.mark.parametrize(
    "who, status",
    [("manager", 403), ("entrepreneur", 403), ("claire", 403), ("other_seir", 404)],
)
def test_a_refused_removal_keeps_the_role_and_the_links(
    request, programme, claire, claire_contact, council, intro, who, status, snapshot
):
    url = remove_url(programme, claire)
    client = client_for(request.getfixturevalue(who))
    before = (snapshot(), links(claire))

    assert client.post(url).status_code == status

    assert (snapshot(), links(claire)) == before
    assert not Event.objects.filter(kind=UNLINKED).exists()
    assert listed(client_for(claire)) == [intro.pk]


@pytest.mark.parametrize("who", ["manager", "other_seir"])
def test_the_service_refuses_who_does_not_run_the_programme(
    request, programme, claire, claire_contact, intro, who, snapshot
):
    actor = request.getfixturevalue(who)
    before = (snapshot(), links(claire))

    with pytest.raises(PermissionDenied):
        commissioning_services.commissioner_account_unlink(
            actor=actor, user=claire, programme=programme
        )

    assert (snapshot(), links(claire)) == before


@pytest.fixture
def other_intro(other_programme, other_seir, claire):
    """Claire is also a commissioner of the other programme, for the county council,
    which has an introduction there only."""
    membership_add(programme=other_programme, user=claire, role=Role.COMMISSIONER)
    county = CommissionerFactory(name="Solihull County Council")
    contact = ContactFactory(commissioner=county, name="Claire Evans (county)", user=claire)
    venture = VentureFactory(programme=other_programme, name="Solihull Sheds", seir=other_seir)
    return commissioning_services.introduction_make(
        actor=other_seir, venture=venture, contact=contact, purpose="Isolation", made_on=made_on()
    )


def test_her_access_in_another_programme_through_another_organisation_is_kept(
    programme, other_programme, seir, claire, claire_contact, intro, other_intro
):
    theirs = client_for(claire)
    assert listed(theirs) == sorted([intro.pk, other_intro.pk])
    url = remove_url(programme, claire)

    page = client_for(seir).get(url).content.decode()
    assert (
        "Their account is also unlinked from the commissioner organisations with "
        "introductions in this programme:" in page
    )
    assert "They stay linked to <a" in page
    assert ">Solihull County Council</a>: it has no introductions in this programme" in page

    client_for(seir).post(url)

    # the PCT (with an introduction here) is left; the county, which reaches only the
    # other programme where she keeps her role, is not
    assert links(claire) == {"contacts": ["Claire Evans (county)"], "members": []}
    assert listed(theirs) == [other_intro.pk]
    assert (detail(theirs, intro), detail(theirs, other_intro)) == (404, 200)
    assert INTRODUCTIONS_LINK in nav(theirs)
    event = Event.objects.get(kind=UNLINKED)
    assert (event.data["organisations"], event.data["everywhere"]) == (
        ["Heart of Birmingham PCT"],
        False,
    )


def test_another_kind_of_role_elsewhere_does_not_keep_a_link(
    programme, other_programme, seir, claire, claire_contact, intro, other_intro
):
    # given Claire is no longer a commissioner of the other programme, only a manager there
    ProgrammeMembership.objects.filter(programme=other_programme, user=claire).update(
        role=Role.MANAGER
    )

    client_for(seir).post(remove_url(programme, claire))

    # then no Commissioner role is left anywhere: every link goes
    assert links(claire) == {"contacts": [], "members": []}
    assert Event.objects.get(kind=UNLINKED).data["organisations"] == [
        "Heart of Birmingham PCT",
        "Solihull County Council",
    ]


def test_a_commissioner_with_no_links_is_removed_with_no_unlinking_event(programme, seir, claire):
    page = client_for(seir).get(remove_url(programme, claire)).content.decode()
    assert "unlinked" not in page

    client_for(seir).post(remove_url(programme, claire))

    assert not ProgrammeMembership.objects.filter(user=claire).exists()
    assert not Event.objects.filter(kind=UNLINKED).exists()


def test_invited_back_she_is_linked_to_her_own_contact_again_not_a_second_one(
    programme,
    seir,
    organisation,
    claire,
    claire_contact,
    intro,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # given Claire's role was removed (her contact kept, without the account)
    client_for(seir).post(remove_url(programme, claire))
    assert listed(client_for(claire)) == 404

    # when the SEiR invites her back and she accepts, signed in
    with django_capture_on_commit_callbacks(execute=True):
        client_for(seir).post(
            reverse("invitations:create", args=[programme.pk]),
            {
                "name": "Claire Evans",
                "email": "Claire@hob.nhs.uk",
                "role": "commissioner",
                "commissioner": str(organisation.pk),
                "team_role": "member",
            },
        )
    token = re.search(r"/invitations/([\w-]+)/", mailoutbox[0].body).group(1)
    client_for(claire).post(reverse("invitations:accept", args=[token]))

    # then her one contact record is linked again, with one event, and she sees the
    # PCT's introductions once more
    assert list(Contact.objects.filter(commissioner=organisation).values_list("pk", "user")) == [
        (claire_contact.pk, claire.pk)
    ]
    event = Event.objects.get(kind="commissioning.contact_account_linked")
    assert (event.actor, event.data) == (
        seir,
        {
            "name": "Claire Evans",
            "commissioner": "Heart of Birmingham PCT",
            "account": "Claire Evans",
        },
    )
    assert listed(client_for(claire)) == [intro.pk]


@pytest.mark.parametrize(
    "who, linked, refusal",
    [("seir", True, ValidationError), ("manager", False, PermissionDenied)],
)
def test_a_refused_account_link_writes_nothing(
    request, claire, claire_contact, who, linked, refusal, snapshot
):
    actor = request.getfixturevalue(who)
    if not linked:
        Contact.objects.filter(pk=claire_contact.pk).update(user=None)
    before = (snapshot(), links(claire))

    with pytest.raises(refusal):
        commissioning_services.contact_account_link(
            actor=actor, contact=claire_contact, user=claire
        )

    assert (snapshot(), links(claire)) == before
