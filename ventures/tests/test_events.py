"""Every ventures service records exactly one event of its kind, in its transaction;
a refused service records none."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts import services as account_services
from accounts.factories import UserFactory
from accounts.roles import Role
from events.events import MEMBER_ADDED, MEMBER_REMOVED
from events.models import Event, EventVisibility
from ventures import events, services
from ventures.models import (
    FieldChange,
    GateCondition,
    GateConfirmation,
    NoteVisibility,
    StageChange,
    TeamMembership,
    TeamRole,
    Venture,
    VentureStatus,
)

pytestmark = pytest.mark.django_db


def new_events(before: int) -> list[Event]:
    return list(Event.objects.filter(pk__gt=before).order_by("pk"))


def last_pk() -> int:
    return Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def only_event(before: int) -> Event:
    rows = new_events(before)
    assert len(rows) == 1, [e.kind for e in rows]
    return rows[0]


@pytest.fixture
def need(stages):
    return GateCondition.objects.get(stage=stages["idea"], label__startswith="Need evidenced")


def confirm_idea_gate(seir, venture, stages):
    for condition in GateCondition.objects.filter(stage=stages["idea"], kind="confirmed"):
        services.gate_condition_confirm(
            actor=seir, venture=venture, condition=condition, evidence="Seen."
        )


def test_venture_created(programme, seir, entrepreneur, stages):
    before = last_pk()
    venture = services.venture_create(
        actor=seir, programme=programme, name="Ladywood Bike Repair", lead=entrepreneur
    )
    event = only_event(before)
    assert (event.kind, event.actor, event.venture_id, event.programme_id) == (
        events.VENTURE_CREATED,
        seir,
        venture.pk,
        programme.pk,
    )
    assert event.venture_label == "Ladywood Bike Repair"
    assert event.data == {
        "stage": "Idea",
        "stage_id": stages["idea"].pk,
        "lead": entrepreneur.display_name,
    }
    assert event.visibility == EventVisibility.TEAM


def test_stage_moved_with_override_reason_and_unmet_conditions(venture, seir, stages):
    before = last_pk()
    change = services.venture_move(
        actor=seir,
        venture=venture,
        to_stage=stages["startup"],
        note="Early start.",
        override_reason="Commissioner asked.",
    )
    event = only_event(before)
    assert event.kind == events.VENTURE_MOVED
    assert event.subject == change
    assert event.at == change.changed_at
    assert event.data == {
        "from_stage": "Idea",
        "from_stage_id": stages["idea"].pk,
        "to_stage": "Start-up",
        "to_stage_id": stages["startup"].pk,
        "note": "Early start.",
        "override_reason": "Commissioner asked.",
        "unmet": [
            "Need evidenced (local data or a needs assessment)",
            "A plausible NHS or council buyer named",
        ],
    }


def test_status_changed(venture, seir):
    before = last_pk()
    services.venture_set_status(
        actor=seir, venture=venture, to_status=VentureStatus.PAUSED, reason="Founder on leave."
    )
    event = only_event(before)
    assert event.kind == events.STATUS_CHANGED
    assert event.data == {
        "from": "active",
        "to": "paused",
        "from_label": "Active",
        "to_label": "Paused",
        "reason": "Founder on leave.",
    }


def test_profile_edited_is_one_event_per_save_with_every_field(venture, seir):
    before = last_pk()
    services.venture_update_profile(
        actor=seir,
        venture=venture,
        data={"name": "Saheli Hub", "area": "Sparkbrook", "summary": venture.summary},
        expected_version=venture.version,
    )
    event = only_event(before)
    assert event.kind == events.PROFILE_EDITED
    assert event.data == {
        "version": 2,
        "changes": [
            {
                "field": "name",
                "label": "Name",
                "old": "Saheli Women's Centre",
                "new": "Saheli Hub",
                "old_display": "Saheli Women's Centre",
                "new_display": "Saheli Hub",
            },
            {
                "field": "area",
                "label": "Area",
                "old": "Balsall Heath",
                "new": "Sparkbrook",
                "old_display": "Balsall Heath",
                "new_display": "Sparkbrook",
            },
        ],
    }
    assert event.venture_label == "Saheli Hub"


def test_a_save_that_changes_nothing_records_nothing(venture, seir):
    before = last_pk()
    services.venture_update_profile(
        actor=seir, venture=venture, data={"name": venture.name}, expected_version=1
    )
    assert new_events(before) == []


def test_change_reverted(venture, seir):
    [change] = services.venture_update_profile(
        actor=seir, venture=venture, data={"area": "Sparkbrook"}, expected_version=1
    )
    before = last_pk()
    revert = services.venture_revert_change(actor=seir, change=change)
    event = only_event(before)
    assert event.kind == events.CHANGE_REVERTED
    assert event.subject == revert
    assert event.data == {
        "field": "area",
        "label": "Area",
        "old": "Sparkbrook",
        "new": "Balsall Heath",
        "old_display": "Sparkbrook",
        "new_display": "Balsall Heath",
        "reverted_change_id": change.pk,
        "version": 3,
    }


@pytest.mark.parametrize(
    "visibility, event_visibility",
    [(NoteVisibility.TEAM, EventVisibility.TEAM), (NoteVisibility.STAFF, EventVisibility.STAFF)],
)
def test_note_added_with_its_visibility(venture, seir, visibility, event_visibility):
    before = last_pk()
    note = services.venture_note_add(
        actor=seir, venture=venture, body="Met the trustees.", visibility=visibility
    )
    event = only_event(before)
    assert (event.kind, event.subject, event.visibility) == (
        events.NOTE_ADDED,
        note,
        event_visibility,
    )
    assert event.data == {"body": "Met the trustees.", "visibility": visibility}


def test_gate_confirmed(venture, seir, need):
    before = last_pk()
    confirmation = services.gate_condition_confirm(
        actor=seir, venture=venture, condition=need, evidence="JSNA 2009."
    )
    event = only_event(before)
    assert (event.kind, event.subject) == (events.GATE_CONFIRMED, confirmation)
    assert event.data == {
        "condition": need.label,
        "condition_id": need.pk,
        "evidence": "JSNA 2009.",
    }


def test_evidence_replaced_keeps_the_earlier_evidence(venture, seir, administrator, need):
    first = services.gate_condition_confirm(
        actor=seir, venture=venture, condition=need, evidence="JSNA 2009."
    )
    before = last_pk()
    services.gate_condition_confirm(
        actor=administrator, venture=venture, condition=need, evidence="Needs assessment 2010."
    )
    event = only_event(before)
    assert event.kind == events.GATE_EVIDENCE_REPLACED
    assert event.actor == administrator
    assert event.data == {
        "condition": need.label,
        "condition_id": need.pk,
        "evidence": "Needs assessment 2010.",
        "previous": {
            "evidence": "JSNA 2009.",
            "confirmed_by": seir.display_name,
            "confirmed_by_id": seir.pk,
            "confirmed_at": first.confirmed_at.isoformat(),
        },
    }
    first.refresh_from_db()
    assert first.withdrawn_by == administrator
    assert first.evidence == "JSNA 2009."


def test_the_same_evidence_again_is_refused(venture, seir, need, snapshot):
    services.gate_condition_confirm(actor=seir, venture=venture, condition=need, evidence="JSNA.")
    before = snapshot(venture)
    with pytest.raises(ValidationError):
        services.gate_condition_confirm(
            actor=seir, venture=venture, condition=need, evidence=" JSNA. "
        )
    assert snapshot(venture) == before


def test_withdrawn_confirmation_is_kept_and_its_evidence_is_in_the_event(venture, seir, need):
    confirmation = services.gate_condition_confirm(
        actor=seir, venture=venture, condition=need, evidence="JSNA 2009."
    )
    before = last_pk()
    services.gate_condition_withdraw(actor=seir, venture=venture, condition=need)
    event = only_event(before)
    confirmation.refresh_from_db()
    assert (event.kind, event.subject) == (events.GATE_WITHDRAWN, confirmation)
    assert event.at == confirmation.withdrawn_at
    assert event.data == {
        "condition": need.label,
        "condition_id": need.pk,
        "evidence": "JSNA 2009.",
        "confirmed_by": seir.display_name,
        "confirmed_by_id": seir.pk,
        "confirmed_at": confirmation.confirmed_at.isoformat(),
    }
    assert GateConfirmation.objects.filter(venture=venture).count() == 1


def test_withdrawing_what_is_not_confirmed_is_refused(venture, seir, need, snapshot):
    before = snapshot(venture)
    with pytest.raises(services.VentureError):
        services.gate_condition_withdraw(actor=seir, venture=venture, condition=need)
    assert snapshot(venture) == before


def test_team_member_added_and_removed(venture, seir, other_entrepreneur):
    before = last_pk()
    membership = services.team_member_add(
        actor=seir, venture=venture, user=other_entrepreneur, role=TeamRole.ADVISER
    )
    added = only_event(before)
    expected = {
        "user": other_entrepreneur.display_name,
        "user_id": other_entrepreneur.pk,
        "role": "adviser",
        "role_label": "Adviser",
    }
    assert (added.kind, added.subject, added.data) == (
        events.TEAM_MEMBER_ADDED,
        membership,
        expected,
    )

    before = last_pk()
    services.team_member_remove(actor=seir, membership=membership)
    removed = only_event(before)
    assert (removed.kind, removed.subject, removed.data) == (
        events.TEAM_MEMBER_REMOVED,
        other_entrepreneur,
        expected,
    )
    assert removed.venture_id == venture.pk
    assert not TeamMembership.objects.filter(pk=membership.pk).exists()


def test_programme_membership_added_once(programme, seir):
    user = UserFactory(first_name="Nadia", last_name="Hussain")
    before = last_pk()
    account_services.membership_add(programme=programme, user=user, role=Role.MANAGER, actor=seir)
    event = only_event(before)
    assert (event.kind, event.actor, event.programme_id, event.subject) == (
        MEMBER_ADDED,
        seir,
        programme.pk,
        user,
    )
    assert event.venture_id is None
    assert event.data == {
        "user": "Nadia Hussain",
        "user_id": user.pk,
        "role": "manager",
        "role_label": "PCT manager",
    }
    # adding the same role again changes nothing and records nothing
    before = last_pk()
    account_services.membership_add(programme=programme, user=user, role=Role.MANAGER)
    assert new_events(before) == []


def test_programme_membership_removed(programme, seir):
    user = UserFactory(first_name="Nadia", last_name="Hussain")
    membership = account_services.membership_add(programme=programme, user=user, role="seir")
    before = last_pk()
    account_services.membership_remove(membership=membership, actor=seir)
    event = only_event(before)
    assert (event.kind, event.actor, event.programme_id, event.subject) == (
        MEMBER_REMOVED,
        seir,
        programme.pk,
        user,
    )
    assert event.data["role_label"] == "SEiR"


# --- refused services write no event ------------------------------------------------------


def test_refused_services_record_nothing(
    venture, seir, manager, entrepreneur, stages, need, snapshot
):
    before_pk = last_pk()
    before = snapshot(venture)
    refusals = [
        lambda: services.venture_move(actor=seir, venture=venture, to_stage=stages["startup"]),
        lambda: services.venture_move(actor=manager, venture=venture, to_stage=stages["startup"]),
        lambda: services.venture_set_status(actor=seir, venture=venture, to_status="paused"),
        lambda: services.venture_update_profile(
            actor=entrepreneur, venture=venture, data={"seir": None}, expected_version=1
        ),
        lambda: services.venture_update_profile(
            actor=seir, venture=venture, data={"name": "X"}, expected_version=99
        ),
        lambda: services.venture_note_add(actor=seir, venture=venture, body=" ", visibility="team"),
        lambda: services.venture_note_add(
            actor=entrepreneur, venture=venture, body="Hi", visibility="staff"
        ),
        lambda: services.gate_condition_confirm(
            actor=seir, venture=venture, condition=need, evidence=""
        ),
        lambda: services.gate_condition_confirm(
            actor=manager, venture=venture, condition=need, evidence="x"
        ),
        lambda: services.team_member_add(
            actor=seir, venture=venture, user=entrepreneur, role="member"
        ),
        lambda: services.team_member_remove(
            actor=seir, membership=TeamMembership.objects.get(venture=venture, user=entrepreneur)
        ),
    ]
    for refuse in refusals:
        with pytest.raises((ValidationError, PermissionDenied, services.VentureError)):
            refuse()
    assert new_events(before_pk) == []
    assert snapshot(venture) == before


def test_a_service_rolled_back_by_its_caller_leaves_no_event(venture, seir):
    before = last_pk()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.venture_note_add(actor=seir, venture=venture, body="Draft", visibility="team")
        raise RuntimeError("caller failed after the service")
    assert new_events(before) == []


def test_history_rows_and_events_agree(venture, seir, stages):
    # the history models stay (time in stage and reverts use them) beside the events
    confirm_idea_gate(seir, venture, stages)
    services.venture_move(actor=seir, venture=venture, to_stage=stages["startup"])
    assert StageChange.objects.filter(venture=venture).count() == 2
    assert FieldChange.objects.filter(venture=venture).count() == 0
    assert Venture.objects.get(pk=venture.pk).stage == stages["startup"]


# --- the handler ---------------------------------------------------------------------------


def test_last_activity_follows_events_after_commit(
    venture, seir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        note = services.venture_note_add(
            actor=seir, venture=venture, body="Met them.", visibility="team"
        )
    venture.refresh_from_db()
    assert venture.last_activity_at == note.created_at


def test_handler_does_not_run_when_the_transaction_rolls_back(
    venture, seir, django_capture_on_commit_callbacks
):
    Venture.objects.filter(pk=venture.pk).update(last_activity_at=None)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.venture_note_add(actor=seir, venture=venture, body="x", visibility="team")
            raise RuntimeError("rolled back")
    assert callbacks == []
    venture.refresh_from_db()
    assert venture.last_activity_at is None


def test_last_activity_never_moves_back(
    venture, seir, days_ago, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.venture_note_add(actor=seir, venture=venture, body="Now.", visibility="team")
    venture.refresh_from_db()
    latest = venture.last_activity_at
    with django_capture_on_commit_callbacks(execute=True):
        services.venture_note_add(
            actor=seir, venture=venture, body="Back-dated.", visibility="team", at=days_ago(3)
        )
    venture.refresh_from_db()
    assert venture.last_activity_at == latest
