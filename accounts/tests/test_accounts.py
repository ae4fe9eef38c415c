"""Users, roles, programmes and the start page."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.factories import ProgrammeFactory, UserFactory, member
from accounts.models import Programme
from accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return ProgrammeFactory(name="Birmingham East and North", start_date=datetime.date(2026, 1, 5))


@pytest.fixture
def other_programme():
    return ProgrammeFactory(name="Solihull", start_date=datetime.date(2026, 3, 1))


def test_no_role_groups_exist_after_migrate():
    # Groups grant no role: the role groups of the first release are gone.
    assert list(Group.objects.values_list("name", flat=True)) == []


def test_programme_defaults_to_twelve_months_and_three_ventures(programme):
    assert programme.end_date == datetime.date(2027, 1, 5)
    assert programme.target_ventures == 3
    assert programme.target_stage_code == "pilot"


def test_programme_ending_before_it_starts_is_refused_and_not_saved():
    with pytest.raises(ValidationError) as error:
        services.programme_create(
            name="Backwards",
            host_organisation="Nowhere PCT",
            start_date=datetime.date(2026, 5, 1),
            end_date=datetime.date(2026, 4, 1),
        )
    assert error.value.message_dict == {"end_date": ["The end date must be after the start date."]}
    assert not Programme.objects.filter(name="Backwards").exists()


def test_membership_adds_no_group_and_no_admin_access(programme):
    user = member(programme, Role.MANAGER, username="michael")
    assert list(user.groups.values_list("name", flat=True)) == []
    assert not user.is_staff


def test_global_administrator_opens_the_django_admin(client, programme):
    admin_user = member(programme, Role.ADMINISTRATOR, username="ada")
    seir = member(programme, Role.SEIR, username="samira")

    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/programme/").status_code == 200

    client.force_login(seir)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (Role.SEIR, "/ventures/board/"),
        (Role.MANAGER, "/dashboard/"),
        (Role.ENTREPRENEUR, "/ventures/mine/"),
        (Role.COMMISSIONER, "/commissioning/introductions/"),
    ],
)
def test_role_is_sent_to_its_start_page(client, programme, role, landing):
    client.force_login(member(programme, role, username="someone"))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == landing
    assert client.get(landing).status_code == 200


@pytest.mark.parametrize(
    ("role", "label"),
    [
        (Role.ADMINISTRATOR, "Administrator"),
    ],
)
def test_other_roles_start_on_the_home_page_with_their_programmes(
    client, programme, other_programme, role, label
):
    client.force_login(member(programme, role, username="someone"))
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<strong>{label}</strong>" in html
    assert "Birmingham East and North" in html


def test_a_manager_may_still_open_the_page_of_links(client, programme):
    client.force_login(member(programme, Role.MANAGER, username="someone"))
    response = client.get("/?stay")
    assert response.status_code == 200
    assert "<strong>PCT manager</strong>" in response.content.decode()


def test_user_without_a_role_is_told_so(client):
    client.force_login(UserFactory(username="nobody"))
    response = client.get("/")
    assert response.status_code == 200
    assert "Your account has no role yet" in response.content.decode()


def test_members_see_only_their_programmes(client, programme, other_programme):
    user = member(programme, Role.MANAGER, username="michael")
    client.force_login(user)

    listing = client.get(reverse("programmes:list")).content.decode()
    assert "Birmingham East and North" in listing
    assert "Solihull" not in listing
    assert client.get(reverse("programmes:detail", args=[programme.pk])).status_code == 200
    assert client.get(reverse("programmes:detail", args=[other_programme.pk])).status_code == 404


def test_administrators_see_every_programme(client, programme, other_programme):
    client.force_login(member(programme, Role.ADMINISTRATOR, username="ada"))
    listing = client.get(reverse("programmes:list")).content.decode()
    assert "Birmingham East and North" in listing
    assert "Solihull" in listing
    assert client.get(reverse("programmes:detail", args=[other_programme.pk])).status_code == 200


def test_not_found_page_is_the_house_style(client, programme):
    client.force_login(member(programme, Role.SEIR, username="samira"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_password_reset_email_carries_a_working_link(client, programme):
    user = member(programme, Role.ENTREPRENEUR, username="parveen", email="parveen@example.nhs.uk")

    response = client.post(reverse("password_reset"), {"email": "parveen@example.nhs.uk"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["parveen@example.nhs.uk"]
    assert message.subject == "Reset your SEiR Pipeline password"
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-Long-new-passphrase-42", "new_password2": "a-Long-new-passphrase-42"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-Long-new-passphrase-42")


def test_password_reset_for_an_unknown_address_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.nhs.uk"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_needs_the_old_password(client, programme):
    user = member(programme, Role.SEIR, username="samira")
    client.force_login(user)

    wrong = client.post(
        reverse("password_change"),
        {
            "old_password": "nope",
            "new_password1": "Another-pass-987",
            "new_password2": "Another-pass-987",
        },
    )
    assert wrong.status_code == 200
    user.refresh_from_db()
    assert user.check_password("demo")

    right = client.post(
        reverse("password_change"),
        {
            "old_password": "demo",
            "new_password1": "Another-pass-987",
            "new_password2": "Another-pass-987",
        },
    )
    assert right.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Another-pass-987")


def test_administrator_creates_a_programme_in_the_admin_with_stages_and_members(client, programme):
    # given
    admin_user = member(programme, Role.ADMINISTRATOR, username="ada")
    newcomer = UserFactory(username="samira")
    client.force_login(admin_user)

    # when: the add form is posted with one member
    response = client.post(
        reverse("admin:accounts_programme_add"),
        {
            "name": "Dudley Council SEiR",
            "host_organisation": "Dudley Metropolitan Borough Council",
            "start_date": "2026-09-01",
            "end_date": "",
            "target_ventures": "3",
            "target_stage_code": "pilot",
            "stuck_after_days": "90",
            "quiet_after_days": "30",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-user": str(newcomer.pk),
            "memberships-0-role": "seir",
        },
    )

    # then: created through the service (default stages installed) with its member
    assert response.status_code == 302
    created = Programme.objects.get(name="Dudley Council SEiR")
    assert created.end_date == datetime.date(2027, 9, 1)
    assert (created.stuck_after_days, created.quiet_after_days) == (90, 30)
    assert list(created.stages.values_list("code", flat=True)) == [
        "idea",
        "startup",
        "pilot",
        "growth",
        "scale",
    ]
    assert list(created.memberships.values_list("user__username", "role")) == [("samira", "seir")]
    assert list(newcomer.groups.values_list("name", flat=True)) == []
    newcomer.refresh_from_db()
    assert not newcomer.is_staff
