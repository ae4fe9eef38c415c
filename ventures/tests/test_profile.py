"""Profile edits: field-by-field history, staff-only fields, optimistic locking, reverts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ventures import selectors, services
from ventures.models import FieldChange, TeamMembership, TeamRole

pytestmark = pytest.mark.django_db


def rows(venture):
    return list(
        FieldChange.objects.filter(venture=venture)
        .order_by("id")
        .values_list("field", "old_value", "new_value", "old_display", "new_display", "reverts_id")
    )


def test_staff_edit_records_each_changed_field(venture, seir, legal_forms):
    # given
    cic = legal_forms["cic"]

    # when
    changes = services.venture_update_profile(
        actor=seir,
        venture=venture,
        data={
            "name": "Saheli Women's Centre CIC",
            "summary": "Sport and social activities for women.",  # unchanged
            "legal_form": cic,
            "origin": "nhs_staff",
            "is_spinout": True,
        },
        expected_version=1,
    )

    # then
    assert [c.field for c in changes] == ["name", "legal_form", "origin", "is_spinout"]
    assert rows(venture) == [
        (
            "name",
            "Saheli Women's Centre",
            "Saheli Women's Centre CIC",
            "Saheli Women's Centre",
            "Saheli Women's Centre CIC",
            None,
        ),
        ("legal_form", None, cic.pk, "", "Community interest company (CIC)", None),
        ("origin", "community", "nhs_staff", "Community", "NHS staff", None),
        ("is_spinout", False, True, "No", "Yes", None),
    ]
    assert set(
        FieldChange.objects.filter(venture=venture).values_list("changed_by", flat=True)
    ) == {seir.pk}
    venture.refresh_from_db()
    assert venture.version == 2
    assert (venture.name, venture.legal_form, venture.origin, venture.is_spinout) == (
        "Saheli Women's Centre CIC",
        cic,
        "nhs_staff",
        True,
    )


def test_legal_form_change_between_forms_shows_names(venture, seir, legal_forms):
    # given
    services.venture_update_profile(
        actor=seir,
        venture=venture,
        data={"legal_form": legal_forms["not-incorporated"]},
        expected_version=1,
    )

    # when
    services.venture_update_profile(
        actor=seir, venture=venture, data={"legal_form": legal_forms["cbs"]}, expected_version=2
    )

    # then
    assert rows(venture)[-1] == (
        "legal_form",
        legal_forms["not-incorporated"].pk,
        legal_forms["cbs"].pk,
        "Not yet incorporated",
        "Community benefit society",
        None,
    )


def test_lead_change_shows_names_and_joins_the_team(
    venture, seir, entrepreneur, other_entrepreneur
):
    # when
    services.venture_update_profile(
        actor=seir, venture=venture, data={"lead": other_entrepreneur}, expected_version=1
    )

    # then
    assert rows(venture) == [
        ("lead", entrepreneur.pk, other_entrepreneur.pk, "Parveen Akhtar", "Daniel Okafor", None)
    ]
    assert (
        TeamMembership.objects.get(venture=venture, user=other_entrepreneur).role == TeamRole.LEAD
    )


def test_team_member_edits_team_fields(venture, entrepreneur):
    # when
    changes = services.venture_update_profile(
        actor=entrepreneur,
        venture=venture,
        data={"area": "Sparkbrook", "need": "Isolation."},
        expected_version=1,
    )

    # then
    assert [(c.field, c.old_display, c.new_display) for c in changes] == [
        ("need", venture.need, "Isolation."),
        ("area", "Balsall Heath", "Sparkbrook"),
    ]
    venture.refresh_from_db()
    assert (venture.area, venture.version) == ("Sparkbrook", 2)


def test_no_real_change_saves_nothing(venture, seir, snapshot):
    before = snapshot(venture)

    changes = services.venture_update_profile(
        actor=seir,
        venture=venture,
        data={"name": "Saheli Women's Centre", "area": "Balsall Heath"},
        expected_version=1,
    )

    assert changes == []
    assert snapshot(venture) == before


@pytest.mark.parametrize(
    ("field", "value_fixture", "value"),
    [
        ("origin", None, "nhs_staff"),
        ("is_spinout", None, True),
        ("lead", "other_entrepreneur", None),
        ("seir", "other_seir", None),
    ],
)
def test_team_member_cannot_change_staff_fields(
    request, venture, entrepreneur, snapshot, field, value_fixture, value
):
    # given
    if value_fixture:
        value = request.getfixturevalue(value_fixture)
    before = snapshot(venture)

    # when
    with pytest.raises(PermissionDenied) as refused:
        services.venture_update_profile(
            actor=entrepreneur,
            venture=venture,
            data={"name": "Renamed", field: value},
            expected_version=1,
        )

    # then
    assert str(refused.value) == f"You cannot change {field}."
    assert snapshot(venture) == before


@pytest.mark.parametrize(
    "actor_name", ["manager", "commissioner", "other_entrepreneur", "other_seir"]
)
def test_people_off_the_team_cannot_edit(request, venture, snapshot, actor_name):
    actor = request.getfixturevalue(actor_name)
    before = snapshot(venture)

    with pytest.raises(PermissionDenied):
        services.venture_update_profile(
            actor=actor, venture=venture, data={"area": "Aston"}, expected_version=1
        )

    assert snapshot(venture) == before


def test_stale_version_raises_edit_conflict_and_saves_nothing(
    venture, seir, entrepreneur, snapshot
):
    # given: the SEiR saves while the entrepreneur still has version 1 open
    services.venture_update_profile(
        actor=seir, venture=venture, data={"area": "Sparkbrook"}, expected_version=1
    )
    before = snapshot(venture)

    # when
    with pytest.raises(services.EditConflict) as conflict:
        services.venture_update_profile(
            actor=entrepreneur,
            venture=venture,
            data={"name": "Saheli", "area": "Aston", "summary": "Mine."},
            expected_version=1,
        )

    # then
    assert conflict.value.changed_fields == ["area"]
    assert conflict.value.current.version == 2
    assert conflict.value.message.startswith(
        "Someone else saved changes to this venture while you were editing."
    )
    assert snapshot(venture) == before
    venture.refresh_from_db()
    assert (venture.name, venture.area, venture.summary) == (
        "Saheli Women's Centre",
        "Sparkbrook",
        "Sport and social activities for women.",
    )


def test_edit_conflict_lists_only_fields_saved_since_the_edit_began(venture, seir, entrepreneur):
    # given: the SEiR changed the summary long ago (version 1 -> 2) ...
    services.venture_update_profile(
        actor=seir, venture=venture, data={"summary": "Old news."}, expected_version=1
    )
    # ... the entrepreneur opens the form at version 2, then the SEiR renames it (2 -> 3)
    services.venture_update_profile(
        actor=seir, venture=venture, data={"name": "Saheli CIC"}, expected_version=2
    )

    # when: the entrepreneur saves from version 2 (the form sends every team field)
    with pytest.raises(services.EditConflict) as conflict:
        services.venture_update_profile(
            actor=entrepreneur,
            venture=venture,
            data={"name": "Saheli Centre", "summary": "Old news.", "area": "Aston"},
            expected_version=2,
        )

    # then: only the name was saved by someone else since version 2
    assert conflict.value.changed_fields == ["name"]


# --- reverts -------------------------------------------------------------------------


def test_revert_restores_old_value_and_records_the_revert(venture, seir):
    # given
    [change] = services.venture_update_profile(
        actor=seir, venture=venture, data={"area": "Sparkbrook"}, expected_version=1
    )

    # when
    revert = services.venture_revert_change(actor=seir, change=change)

    # then
    venture.refresh_from_db()
    assert (venture.area, venture.version) == ("Balsall Heath", 3)
    revert.refresh_from_db()
    assert revert.reverts_id == change.pk
    assert rows(venture) == [
        ("area", "Balsall Heath", "Sparkbrook", "Balsall Heath", "Sparkbrook", None),
        ("area", "Sparkbrook", "Balsall Heath", "Sparkbrook", "Balsall Heath", change.pk),
    ]
    assert revert.changed_by == seir


def test_revert_of_a_foreign_key_restores_the_old_object(venture, seir, legal_forms):
    # given
    [change] = services.venture_update_profile(
        actor=seir, venture=venture, data={"legal_form": legal_forms["cic"]}, expected_version=1
    )

    # when
    services.venture_revert_change(actor=seir, change=change)

    # then
    venture.refresh_from_db()
    assert venture.legal_form is None
    assert rows(venture)[-1] == (
        "legal_form",
        legal_forms["cic"].pk,
        None,
        "Community interest company (CIC)",
        "",
        change.pk,
    )


def test_revert_refused_when_field_changed_again(venture, seir, snapshot):
    # given: area A -> B, then B -> C
    [first] = services.venture_update_profile(
        actor=seir, venture=venture, data={"area": "Aston"}, expected_version=1
    )
    [second] = services.venture_update_profile(
        actor=seir, venture=venture, data={"area": "Nechells"}, expected_version=2
    )
    before = snapshot(venture)

    # when
    with pytest.raises(services.VentureError) as refused:
        services.venture_revert_change(actor=seir, change=first)

    # then
    assert (
        refused.value.message == "Area has been changed again since; revert the later change first."
    )
    assert snapshot(venture) == before

    # and: reverting the later change first makes the earlier one revertible
    services.venture_revert_change(actor=seir, change=second)
    services.venture_revert_change(actor=seir, change=first)
    venture.refresh_from_db()
    assert (venture.area, venture.version) == ("Balsall Heath", 5)


def test_revert_twice_is_refused(venture, seir, snapshot):
    [change] = services.venture_update_profile(
        actor=seir, venture=venture, data={"area": "Aston"}, expected_version=1
    )
    services.venture_revert_change(actor=seir, change=change)
    before = snapshot(venture)

    with pytest.raises(services.VentureError):
        services.venture_revert_change(actor=seir, change=change)

    assert snapshot(venture) == before


@pytest.mark.parametrize("actor_name", ["entrepreneur", "manager", "other_seir"])
def test_only_staff_can_revert(request, venture, seir, snapshot, actor_name):
    [change] = services.venture_update_profile(
        actor=seir, venture=venture, data={"area": "Aston"}, expected_version=1
    )
    actor = request.getfixturevalue(actor_name)
    before = snapshot(venture)

    with pytest.raises(PermissionDenied):
        services.venture_revert_change(actor=actor, change=change)

    assert snapshot(venture) == before


# --- the lead and the team --------------------------------------------------------------


def team_roles(venture):
    return sorted(venture.team.values_list("user__username", "role"))


def test_changing_the_lead_keeps_one_lead_on_the_team(
    venture, seir, entrepreneur, other_entrepreneur
):
    # given: entrepreneur leads the venture
    assert team_roles(venture) == [(entrepreneur.username, TeamRole.LEAD)]

    # when: the SEiR names another lead
    services.venture_update_profile(
        actor=seir, venture=venture, data={"lead": other_entrepreneur}, expected_version=1
    )

    # then: the old lead stays on the team as a member; the new one is the only lead
    assert team_roles(venture) == sorted(
        [(entrepreneur.username, TeamRole.MEMBER), (other_entrepreneur.username, TeamRole.LEAD)]
    )


def test_reverting_the_lead_restores_the_team_roles(
    venture, seir, entrepreneur, other_entrepreneur
):
    # given
    [change] = services.venture_update_profile(
        actor=seir, venture=venture, data={"lead": other_entrepreneur}, expected_version=1
    )

    # when
    services.venture_revert_change(actor=seir, change=change)

    # then
    venture.refresh_from_db()
    assert venture.lead == entrepreneur
    assert team_roles(venture) == sorted(
        [(entrepreneur.username, TeamRole.LEAD), (other_entrepreneur.username, TeamRole.MEMBER)]
    )


def test_reverting_to_a_lead_who_left_the_programme_is_refused(
    venture, seir, entrepreneur, other_entrepreneur
):
    # given: the lead changed, then the former lead left the programme
    [change] = services.venture_update_profile(
        actor=seir, venture=venture, data={"lead": other_entrepreneur}, expected_version=1
    )
    entrepreneur.programme_memberships.all().delete()

    # when / then: nothing is restored
    with pytest.raises(ValidationError):
        services.venture_revert_change(actor=seir, change=change)
    venture.refresh_from_db()
    assert venture.lead == other_entrepreneur
    assert venture.version == 2
    assert FieldChange.objects.filter(venture=venture).count() == 1


def test_revert_refusal_through_the_page_is_a_message_not_an_error(
    client, venture, seir, entrepreneur, other_entrepreneur
):
    # given
    [change] = services.venture_update_profile(
        actor=seir, venture=venture, data={"lead": other_entrepreneur}, expected_version=1
    )
    entrepreneur.programme_memberships.all().delete()
    client.force_login(seir)

    # when
    response = client.post(reverse("ventures:revert", args=[venture.pk, change.pk]), follow=True)

    # then
    assert response.status_code == 200
    assert "The change was not reverted" in response.content.decode()
    venture.refresh_from_db()
    assert venture.lead == other_entrepreneur


def test_the_history_says_which_changes_were_reverted_in_one_query(client, venture, seir):
    [first] = services.venture_update_profile(
        actor=seir, venture=venture, data={"area": "Sparkbrook"}, expected_version=1
    )
    [second] = services.venture_update_profile(
        actor=seir, venture=venture, data={"summary": "Changed."}, expected_version=2
    )
    revert = services.venture_revert_change(actor=seir, change=second)

    with CaptureQueriesContext(connection) as queries:
        history = list(selectors.field_change_list(venture=venture))

    assert len(queries) == 1
    assert [(c.pk, c.is_reverted, c.changed_by.username) for c in history] == [
        (revert.pk, False, seir.username),
        (second.pk, True, seir.username),
        (first.pk, False, seir.username),
    ]
    client.force_login(seir)
    html = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()
    # A Revert button on each change not yet reverted: the revert itself and the first.
    assert html.count(">Revert<span") == 2
    assert "the change to Summary by" in html and html.count("the change to Area by") == 1
