"""Hostile and concurrent input on the venture pages (issue 6, item 4): bounded
numbers, integrity races, duplicate submissions, the admin creating through the service
and a venture's stage always in its own programme."""

from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from submissions.models import SubmissionToken
from tests.html_forms import page_form
from ventures import services
from ventures.models import (
    FieldChange,
    GateConfirmation,
    Stage,
    StageChange,
    TeamMembership,
    TeamRole,
    Venture,
    VentureNote,
)

pytestmark = pytest.mark.django_db

ALREADY = "That was already saved: it is shown below. Nothing was saved twice."


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- bounded numbers --------------------------------------------------------------------


@pytest.mark.parametrize("offset", ["99999999999999999999", "-5", "abc", "1e9", "\x00", ""])
def test_board_column_offset_is_bounded(venture, seir, stages, offset):
    response = client_for(seir).get(
        reverse("ventures:board_column", args=[stages["idea"].pk]), {"offset": offset}
    )

    assert response.status_code == 200
    shown = "Saheli Women&#x27;s Centre" in response.content.decode()
    # Only a number past the end shows nothing; the rest read as the first page.
    assert shown is (offset != "99999999999999999999")


@pytest.mark.parametrize("number", ["99999999999999999999", "-1", "x", "\x00"])
def test_list_page_number_is_bounded(venture, seir, number):
    response = client_for(seir).get(reverse("ventures:list"), {"page": number})

    assert response.status_code == 200
    assert response.context["page"].number == 1


# --- integrity races ---------------------------------------------------------------------


def test_team_add_race_gets_the_same_refusal_as_the_check(venture, seir, other_entrepreneur):
    # given: another request adds the person between our check and our insert. (Here
    # it is simulated on our own connection, so that row rolls back with our refused
    # transaction; in a real race it is the other request's committed row.)
    def the_other_request_wins(self, *args, **kwargs):
        TeamMembership.objects.create(
            venture=venture, user=other_entrepreneur, role=TeamRole.MEMBER
        )

    # when
    with mock.patch.object(TeamMembership, "full_clean", the_other_request_wins):
        response = client_for(seir).post(
            reverse("ventures:team_add", args=[venture.pk]),
            {"user": other_entrepreneur.pk, "role": TeamRole.ADVISER},
        )

    # then: the same friendly refusal as the check before it, not a 500; ours not saved
    assert response.status_code == 302
    assert response["Location"] == reverse("ventures:detail", args=[venture.pk]) + "#team"
    assert texts(response) == ["Daniel Okafor is already on the team."]
    assert not TeamMembership.objects.filter(role=TeamRole.ADVISER).exists()


def test_team_add_race_in_the_service_leaves_the_transaction_usable(
    venture, seir, other_entrepreneur, entrepreneur
):
    def the_other_request_wins(self, *args, **kwargs):
        TeamMembership.objects.create(venture=venture, user=other_entrepreneur)

    with mock.patch.object(TeamMembership, "full_clean", the_other_request_wins):
        with pytest.raises(ValidationError) as refused:
            services.team_member_add(
                actor=seir, venture=venture, user=other_entrepreneur, role=TeamRole.MEMBER
            )

    assert refused.value.message_dict == {"user": ["Daniel Okafor is already on the team."]}
    # The savepoint kept the connection usable (PostgreSQL aborts a transaction otherwise).
    assert list(TeamMembership.objects.filter(venture=venture).values_list("user", flat=True)) == [
        entrepreneur.pk
    ]


# --- one rendered form saves once --------------------------------------------------------


def test_note_form_posted_twice_adds_one_note(venture, seir):
    client = client_for(seir)
    detail = reverse("ventures:detail", args=[venture.pk])
    form = page_form(client.get(detail).content, containing="body")
    data = {**form.values, "body": "Met the trustees.", "visibility": "team"}

    first = client.post(form.action, data)
    second = client.post(form.action, data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == detail + "#timeline"
    assert texts(second)[-1] == ALREADY
    assert list(VentureNote.objects.filter(venture=venture).values_list("body", flat=True)) == [
        "Met the trustees."
    ]


def test_two_rendered_note_forms_add_two_notes(venture, seir):
    client = client_for(seir)
    detail = reverse("ventures:detail", args=[venture.pk])
    for body in ("First.", "Second."):
        form = page_form(client.get(detail).content, containing="body")
        client.post(form.action, {**form.values, "body": body})

    assert VentureNote.objects.filter(venture=venture).count() == 2


def test_a_refused_submission_can_be_corrected_and_sent_again(venture, seir):
    # given: the first POST of the form is refused (an empty note)
    client = client_for(seir)
    form = page_form(
        client.get(reverse("ventures:detail", args=[venture.pk])).content, containing="body"
    )
    refused = client.post(form.action, {**form.values, "body": "   "})
    assert refused.status_code == 200
    assert SubmissionToken.objects.count() == 0

    # when: the person writes the note and sends the same form again
    saved = client.post(form.action, {**form.values, "body": "Now written."})

    # then
    assert saved.status_code == 302
    assert texts(saved) == ["Note added."]
    assert VentureNote.objects.filter(venture=venture).count() == 1


def test_add_venture_posted_twice_creates_one_venture(seir, programme, entrepreneur):
    client = client_for(seir)
    form = page_form(client.get(reverse("ventures:create")).content, containing="name")
    data = {**form.values, "programme": programme.pk, "name": "Kingstanding Men's Shed"}

    first = client.post(reverse("ventures:create"), data)
    second = client.post(reverse("ventures:create"), data)

    venture = Venture.objects.get(name="Kingstanding Men's Shed")
    assert first["Location"] == second["Location"] == reverse("ventures:detail", args=[venture.pk])
    assert texts(second)[-1] == ALREADY
    assert Venture.objects.filter(programme=programme).count() == 1


def test_team_add_posted_twice_says_already_saved(venture, seir, other_entrepreneur):
    client = client_for(seir)
    form = page_form(
        client.get(reverse("ventures:detail", args=[venture.pk])).content, containing="role"
    )
    data = {**form.values, "user": other_entrepreneur.pk, "role": TeamRole.ADVISER}

    client.post(form.action, data)
    second = client.post(form.action, data)

    assert texts(second)[-1] == ALREADY
    assert TeamMembership.objects.filter(venture=venture).count() == 2


def test_gate_confirmation_posted_twice_is_saved_once(venture, seir):
    client = client_for(seir)
    page = client.get(reverse("ventures:detail", args=[venture.pk])).content
    form = next(f for f in _forms_with(page, "evidence"))
    data = {**form.values, "evidence": "Ward data 2024."}

    client.post(form.action, data)
    data_again = {**data, "evidence": "Typed again."}
    second = client.post(form.action, data_again)

    assert texts(second)[-1] == ALREADY
    assert list(
        GateConfirmation.objects.filter(venture=venture).values_list("evidence", flat=True)
    ) == ["Ward data 2024."]


def _forms_with(page, name):
    from tests.html_forms import page_forms

    return [f for f in page_forms(page) if name in f.names]


def test_another_persons_token_is_not_theirs(venture, seir, administrator):
    # given: the SEiR's rendered note form, posted by the SEiR
    seir_client = client_for(seir)
    form = page_form(
        seir_client.get(reverse("ventures:detail", args=[venture.pk])).content, containing="body"
    )
    seir_client.post(form.action, {**form.values, "body": "Mine."})

    # when: someone else posts a form carrying the same token
    response = client_for(administrator).post(form.action, {**form.values, "body": "Theirs."})

    # then: it is their own first submission
    assert texts(response)[-1] == "Note added."
    assert VentureNote.objects.filter(venture=venture).count() == 2


# --- the admin creates and edits through the services -----------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_admin_add_venture_creates_through_the_service(superuser, programme, stages, seir):
    client = client_for(superuser)
    url = reverse("admin:ventures_venture_add")
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "programme": programme.pk,
            "name": "Balsall Heath Bikes",
            "origin": "community",
            "seir": seir.pk,
            "stage": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    venture = Venture.objects.get(name="Balsall Heath Bikes")
    assert (venture.stage, venture.seir, venture.version) == (stages["idea"], seir, 1)
    assert list(
        StageChange.objects.filter(venture=venture).values_list("to_stage", "changed_by")
    ) == [(stages["idea"].pk, superuser.pk)]


def test_admin_add_venture_at_a_chosen_stage(superuser, programme, stages):
    response = client_for(superuser).post(
        reverse("admin:ventures_venture_add"),
        {
            "programme": programme.pk,
            "name": "Later",
            "origin": "community",
            "stage": stages["pilot"].pk,
        },
    )

    assert response.status_code == 302
    assert Venture.objects.get(name="Later").stage == stages["pilot"]


def test_admin_refuses_a_stage_of_another_programme(superuser, programme, other_programme):
    foreign = Stage.objects.filter(programme=other_programme).first()

    response = client_for(superuser).post(
        reverse("admin:ventures_venture_add"),
        {"programme": programme.pk, "name": "Astray", "origin": "community", "stage": foreign.pk},
    )

    assert response.status_code == 200
    assert "That stage belongs to another programme." in response.content.decode()
    assert not Venture.objects.filter(name="Astray").exists()


def test_admin_cannot_change_a_ventures_programme(superuser, venture, other_programme, seir):
    url = reverse("admin:ventures_venture_change", args=[venture.pk])
    client = client_for(superuser)
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "programme": other_programme.pk,
            "name": "Saheli CIC",
            "summary": venture.summary,
            "need": venture.need,
            "beneficiaries": venture.beneficiaries,
            "area": venture.area,
            "origin": "community",
            "lead": venture.lead_id,
            "seir": seir.pk,
            "team-TOTAL_FORMS": "0",
            "team-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    venture.refresh_from_db()
    assert (venture.programme_id, venture.name, venture.version) == (
        venture.programme_id,
        "Saheli CIC",
        2,
    )
    assert venture.stage.programme_id == venture.programme_id
    assert list(FieldChange.objects.filter(venture=venture).values_list("field", "new_value")) == [
        ("name", "Saheli CIC")
    ]


# --- a venture's stage is in its programme -----------------------------------------------


def test_venture_clean_refuses_a_stage_of_another_programme(venture, other_programme):
    venture.stage = Stage.objects.filter(programme=other_programme).first()

    with pytest.raises(ValidationError) as refused:
        venture.full_clean()

    assert refused.value.message_dict["stage"] == ["That stage belongs to another programme."]


def test_admin_shows_the_team_but_changes_it_only_on_the_venture_page(
    superuser, venture, seir, entrepreneur, other_entrepreneur
):
    url = reverse("admin:ventures_venture_change", args=[venture.pk])
    client = client_for(superuser)
    page = client.get(url).content.decode()
    assert "Team (change it on the venture" in page
    assert 'name="team-0-user"' not in page  # read, not edited
    lead = TeamMembership.objects.get(venture=venture, user=entrepreneur)
    before = list(TeamMembership.objects.filter(venture=venture).values_list("user", "role"))

    # a hand-made POST that adds a member and deletes the lead through the inline
    response = client.post(
        url,
        {
            "name": venture.name,
            "summary": venture.summary,
            "need": venture.need,
            "beneficiaries": venture.beneficiaries,
            "area": venture.area,
            "origin": "community",
            "lead": venture.lead_id,
            "seir": seir.pk,
            "team-TOTAL_FORMS": "2",
            "team-INITIAL_FORMS": "1",
            "team-0-id": lead.pk,
            "team-0-venture": venture.pk,
            "team-0-DELETE": "on",
            "team-1-user": other_entrepreneur.pk,
            "team-1-role": "member",
            "team-1-venture": venture.pk,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    after = list(TeamMembership.objects.filter(venture=venture).values_list("user", "role"))
    assert after == before
