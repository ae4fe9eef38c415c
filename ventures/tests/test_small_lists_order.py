"""A venture's team, its stage history, its stage's moves and the people who may join its
team are sorted in Python, not by the query (docs/performance.md §20); the page shows them
in that order."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.factories import member
from accounts.models import User
from accounts.roles import Role
from events.models import Event
from ventures import selectors, services
from ventures.models import Stage, StageChange, StageTransition, TeamMembership, TeamRole

pytestmark = pytest.mark.django_db


def test_the_team_is_by_role_then_first_name_then_when_they_joined(programme, seir, venture):
    # given: people added out of order, two of them with the same role and first name
    people = {
        name: member(programme, Role.ENTREPRENEUR, first_name=first, last_name=name)
        for name, first in (
            ("Young", "Zara"),
            ("Able", "Amir"),
            ("Second", "Amir"),
            ("Baker", "Beth"),
        )
    }
    for name, role in (
        ("Young", TeamRole.MEMBER),
        ("Second", TeamRole.MEMBER),
        ("Baker", TeamRole.ADVISER),
        ("Able", TeamRole.MEMBER),
    ):
        services.team_member_add(actor=seir, venture=venture, user=people[name], role=role)

    # when
    team = selectors.team_member_list(venture=venture)

    # then: roles by code (adviser, lead, member), names within a role, then who joined first
    lead = TeamMembership.objects.get(venture=venture, role=TeamRole.LEAD).user
    assert [(m.role, m.user.last_name) for m in team] == [
        (TeamRole.ADVISER, "Baker"),
        (TeamRole.LEAD, lead.last_name),
        (TeamRole.MEMBER, "Second"),  # Amir, joined before Able's Amir
        (TeamMembership.objects.get(user=people["Able"]).role, "Able"),
        (TeamRole.MEMBER, "Young"),
    ]


def test_the_venture_page_lists_the_team_in_that_order(client, programme, seir, venture):
    for first, last in (("Zara", "Young"), ("Amir", "Able")):
        services.team_member_add(
            actor=seir,
            venture=venture,
            user=member(programme, Role.ENTREPRENEUR, first_name=first, last_name=last),
            role=TeamRole.MEMBER,
        )
    client.force_login(seir)

    html = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()

    assert html.index("Amir Able") < html.index("Zara Young")


def test_stage_history_ties_on_the_moment_are_in_the_order_they_were_written(
    programme, seir, venture, stages
):
    # given: two more moves recorded at the very same moment, after the venture began
    moment = timezone.now() + datetime.timedelta(hours=1)
    first = StageChange.objects.create(
        venture=venture, from_stage=stages["idea"], to_stage=stages["startup"], changed_at=moment
    )
    second = StageChange.objects.create(
        venture=venture, from_stage=stages["startup"], to_stage=stages["pilot"], changed_at=moment
    )

    # when
    path = selectors.stage_visit_list(venture=venture)

    # then
    assert [visit.change.pk for visit in path][-2:] == [first.pk, second.pk]
    assert [visit.stage.code for visit in path][-2:] == ["startup", "pilot"]
    assert path[-2].left_at == moment and path[-2].days == 0


def test_a_stages_moves_are_in_the_order_of_the_stages_they_lead_to(programme, venture, stages):
    # given: a stage with several moves, their target stages reordered (later ones first)
    start = next(
        stage
        for stage in stages.values()
        if StageTransition.objects.filter(from_stage=stage).count() >= 2
    )
    venture.stage = start
    targets = [t.to_stage for t in StageTransition.objects.filter(from_stage=start)]
    orders = sorted(stage.order for stage in targets)
    for stage, order in zip(targets, reversed(orders), strict=True):
        Stage.objects.filter(pk=stage.pk).update(order=order + 1000)
    expected = sorted(targets, key=lambda s: Stage.objects.get(pk=s.pk).order)

    # when
    moves = selectors.transition_list(venture=venture)
    by_stage = selectors.transition_map(stage_ids={start.pk})

    # then
    assert [t.to_stage_id for t in moves] == [s.pk for s in expected]
    assert [t.to_stage_id for t in by_stage[start.pk]] == [s.pk for s in expected]
    assert [t.to_stage.order for t in moves] == sorted(t.to_stage.order for t in moves)


def _offered(client, venture) -> list[str]:
    html = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()
    select = html[html.index('name="user"') :]
    select = select[: select.index("</select>")]
    return [
        option.split(">", 1)[1].split("<", 1)[0]
        for option in select.split("<option")[1:]
        if 'value=""' not in option
    ]


def _refused(client, venture, user, role, message) -> None:
    """Posting ``user`` to the team is refused with ``message`` and changes no team."""
    before = list(TeamMembership.objects.values_list("venture_id", "user_id", "role"))

    response = client.post(
        reverse("ventures:team_add", args=[venture.pk]), {"user": user.pk, "role": role}
    )

    assert response.status_code == 302
    assert [m.message for m in get_messages(response.wsgi_request)] == [message]
    assert list(TeamMembership.objects.values_list("venture_id", "user_id", "role")) == before


def test_add_a_person_offers_the_programmes_entrepreneurs_off_the_team_by_name(
    client, programme, other_programme, seir, venture
):
    # given: entrepreneurs of this programme (one already on the team, one inactive), and
    # one of another programme
    for first, last in (("Zara", "Aaron"), ("Amir", "Able"), ("Amir", "Aaron")):
        member(programme, Role.ENTREPRENEUR, first_name=first, last_name=last)
    member(programme, Role.ENTREPRENEUR, first_name="Ina", last_name="Active", is_active=False)
    member(other_programme, Role.ENTREPRENEUR, first_name="Otto", last_name="Elsewhere")
    joined = member(programme, Role.ENTREPRENEUR, first_name="Jo", last_name="Joined")
    services.team_member_add(actor=seir, venture=venture, user=joined, role=TeamRole.MEMBER)
    on_team = {m.user_id for m in TeamMembership.objects.filter(venture=venture)}
    expected = [
        str(user)
        for user in User.objects.filter(
            programme_memberships__programme=programme,
            programme_memberships__role=Role.ENTREPRENEUR,
            is_active=True,
        ).exclude(pk__in=on_team)
    ]
    client.force_login(seir)

    # when
    offered = _offered(client, venture)

    # then: the same people, in User's order (first name, last name, username)
    assert offered == expected
    assert offered.index("Amir Aaron") < offered.index("Amir Able") < offered.index("Zara Aaron")
    assert "Jo Joined" not in offered
    assert "Ina Active" not in offered and "Otto Elsewhere" not in offered


def test_adding_someone_already_on_the_team_is_refused_and_changes_nothing(
    client, programme, seir, venture
):
    # given
    joined = member(programme, Role.ENTREPRENEUR, first_name="Jo", last_name="Joined")
    services.team_member_add(actor=seir, venture=venture, user=joined, role=TeamRole.MEMBER)
    events = Event.objects.count()
    client.force_login(seir)

    # when a stale page (or a crafted post) adds them again, then it is refused
    _refused(client, venture, joined, TeamRole.ADVISER, "Jo Joined is already on the team.")
    assert Event.objects.count() == events


def test_the_form_reads_the_team_itself_when_not_handed_it(programme, seir, venture):
    from ventures.forms import TeamMemberForm

    joined = member(programme, Role.ENTREPRENEUR, first_name="Jo", last_name="Joined")
    services.team_member_add(actor=seir, venture=venture, user=joined, role=TeamRole.MEMBER)
    handed = TeamMemberForm(venture=venture, team=selectors.team_member_list(venture=venture))

    alone = TeamMemberForm(venture=venture).offered_choices()["user"]

    assert alone == handed.offered_choices()["user"]
    assert joined.pk not in {pk for pk, _ in alone}


def test_a_gates_conditions_are_in_their_order_then_as_written(programme, seir, stages):
    # given: a stage's conditions written out of order, two with the same order
    from ventures import gates
    from ventures.factories import VentureFactory
    from ventures.models import GateCondition

    stage = stages["growth"]
    GateCondition.objects.filter(stage=stage).delete()
    for label, order in (("Third", 5), ("First", 1), ("Second (a)", 3), ("Second (b)", 3)):
        GateCondition.objects.create(stage=stage, kind="confirmed", label=label, order=order)
    ventures = [
        VentureFactory(programme=programme, stage_code=code, seir=seir)
        for code in ("growth", "idea")
    ]

    # when
    one = gates.gate_status(ventures[0])
    many = gates.gate_status_many(ventures)

    # then
    labels = ["First", "Second (a)", "Second (b)", "Third"]
    assert [r.condition.label for r in one.results] == labels
    assert [r.condition.label for r in many[ventures[0].pk].results] == labels
    idea = [c.label for c in GateCondition.objects.filter(stage=stages["idea"])]
    assert [r.condition.label for r in many[ventures[1].pk].results] == idea


def test_add_a_person_follows_people_and_memberships_on_the_next_request(
    client, programme, seir, venture
):
    # given: the page drawn once (its choices cached)
    from accounts import services as accounts_services
    from accounts.models import ProgrammeMembership

    leaving = member(programme, Role.ENTREPRENEUR, first_name="Lee", last_name="Leaving")
    renamed = member(programme, Role.ENTREPRENEUR, first_name="Ren", last_name="Old")
    stopping = member(programme, Role.ENTREPRENEUR, first_name="Sto", last_name="Pping")
    client.force_login(seir)
    assert {"Lee Leaving", "Ren Old", "Sto Pping"} <= set(_offered(client, venture))

    # when: someone joins the programme, one is renamed, one deactivated, one removed
    member(programme, Role.ENTREPRENEUR, first_name="New", last_name="Comer")
    renamed.last_name = "New"
    renamed.save()
    accounts_services.user_deactivate(user=stopping, actor=None)
    accounts_services.membership_remove(
        membership=ProgrammeMembership.objects.get(user=leaving, programme=programme)
    )
    offered = _offered(client, venture)

    # then
    assert "New Comer" in offered and "Ren New" in offered
    assert "Ren Old" not in offered
    assert "Sto Pping" not in offered
    assert "Lee Leaving" not in offered


def test_a_person_offered_by_a_stale_page_but_no_longer_a_member_is_refused(
    client, programme, seir, venture
):
    # given: the page offered them, then they left the programme
    from accounts import services as accounts_services
    from accounts.models import ProgrammeMembership

    leaving = member(programme, Role.ENTREPRENEUR, first_name="Lee", last_name="Leaving")
    client.force_login(seir)
    assert "Lee Leaving" in _offered(client, venture)
    accounts_services.membership_remove(
        membership=ProgrammeMembership.objects.get(user=leaving, programme=programme)
    )

    # when they are added, then it is refused
    _refused(client, venture, leaving, TeamRole.MEMBER, "Choose a person and a team role.")


def test_a_revert_written_in_the_same_instant_still_marks_the_change_it_reverts(venture, seir):
    # given: a change, another, and a revert of the first, all stamped with one instant
    from ventures.models import FieldChange

    [first] = services.venture_update_profile(
        actor=seir, venture=venture, data={"area": "Sparkbrook"}, expected_version=1
    )
    [second] = services.venture_update_profile(
        actor=seir, venture=venture, data={"summary": "Changed."}, expected_version=2
    )
    revert = services.venture_revert_change(actor=seir, change=first)
    FieldChange.objects.filter(venture=venture).update(changed_at=timezone.now())

    # when: the whole history, and only its newest two
    history = selectors.field_change_list(venture=venture)
    newest = selectors.field_change_list(venture=venture, limit=2)

    # then
    assert [(c.pk, c.is_reverted) for c in history] == [
        (revert.pk, False),
        (second.pk, False),
        (first.pk, True),
    ]
    assert [(c.pk, c.is_reverted) for c in newest] == [(revert.pk, False), (second.pk, False)]
