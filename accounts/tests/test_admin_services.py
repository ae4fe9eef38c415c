"""The admin's programme pages change roles only through the services (issue 20, item 2):
a role is given or taken away there, each recording its event, never edited in place; a
programme's target, period and two-factor rule change on the programme's own page."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Programme, ProgrammeMembership
from accounts.roles import Role
from events.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(administrator):
    client = Client()
    client.force_login(administrator)
    return client


def _programme_form(programme: Programme, rows: list[dict], **overrides) -> dict:
    data = {
        "name": programme.name,
        "host_organisation": programme.host_organisation,
        "start_date": "2026-03-01",
        "end_date": "2030-03-01",
        "target_ventures": "40",
        "target_stage_code": "idea",
        "stuck_after_days": "7",
        "quiet_after_days": "7",
        "require_two_factor": "on",
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"memberships-{i}-{key}": str(value) for key, value in row.items()})
    data.update(overrides)
    return data


def _events():
    return list(
        Event.objects.filter(kind__startswith="programme.")
        .order_by("pk")
        .values_list("kind", "actor__username", "subject_id", "data__role")
    )


def test_a_role_is_not_edited_in_place_in_the_programmes_inline(
    admin_client, programme, seir, stranger
):
    # given: the SEiR's role, and the events so far
    membership = ProgrammeMembership.objects.get(user=seir, programme=programme)
    before = _events()

    # when: the inline turns the SEiR into an administrator and gives a stranger a role
    response = admin_client.post(
        reverse("admin:accounts_programme_change", args=[programme.pk]),
        _programme_form(
            programme,
            [
                {
                    "id": membership.pk,
                    "programme": programme.pk,
                    "user": seir.pk,
                    "role": Role.ADMINISTRATOR,
                },
                {"programme": programme.pk, "user": stranger.pk, "role": Role.MANAGER},
            ],
        ),
    )

    # then: the role stands; the new one went through the service and recorded its event
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(
        ProgrammeMembership.objects.filter(programme=programme, user__in=[seir, stranger])
        .order_by("user__username")
        .values_list("user__username", "role")
    ) == [("seir", "seir"), ("stranger", "manager")]
    assert _events() == [
        *before,
        ("programme.member_added", "admin", str(stranger.pk), "manager"),
    ]


def test_a_programmes_settings_do_not_change_in_the_admin(admin_client, programme):
    # given: the programme as it is
    before = Programme.objects.filter(pk=programme.pk).values(
        "target_ventures", "target_stage_code", "start_date", "end_date",
        "stuck_after_days", "quiet_after_days", "require_two_factor",
    ).get()  # fmt: skip
    events = Event.objects.count()

    # when: the admin's form carries other settings and a new name
    response = admin_client.post(
        reverse("admin:accounts_programme_change", args=[programme.pk]),
        _programme_form(programme, [], name="Birmingham and Solihull SEiR programme"),
    )

    # then: the name changed; the settings, which the programme's page changes, did not
    assert response.status_code == 302, response.content.decode()[:2000]
    after = Programme.objects.get(pk=programme.pk)
    assert after.name == "Birmingham and Solihull SEiR programme"
    assert {field: getattr(after, field) for field in before} == before
    assert before["require_two_factor"] is False
    assert before["end_date"] != datetime.date(2030, 3, 1)
    assert Event.objects.count() == events


def test_a_membership_is_not_changed_on_its_own_admin_page(admin_client, programme, seir):
    membership = ProgrammeMembership.objects.get(user=seir, programme=programme)
    before = _events()

    response = admin_client.post(
        reverse("admin:accounts_programmemembership_change", args=[membership.pk]),
        {"programme": programme.pk, "user": seir.pk, "role": Role.ADMINISTRATOR},
    )

    assert response.status_code == 403
    assert ProgrammeMembership.objects.get(pk=membership.pk).role == Role.SEIR
    assert _events() == before
