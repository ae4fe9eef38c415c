"""Status changes through services.venture_set_status, following STATUS_TRANSITIONS."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from events.models import Event
from ventures import events, services
from ventures.models import STATUS_TRANSITIONS, Venture, VentureStatus

pytestmark = pytest.mark.django_db

ALL_PAIRS = list(itertools.product(VentureStatus.values, repeat=2))
ALLOWED = [(a, b) for a, b in ALL_PAIRS if b in STATUS_TRANSITIONS[a]]
REFUSED = [(a, b) for a, b in ALL_PAIRS if b not in STATUS_TRANSITIONS[a]]


def status_history(venture):
    """The venture's status changes, oldest first, as its events keep them."""
    return [
        (e.data["from"], e.data["to"], e.data["reason"], e.actor_id)
        for e in Event.objects.filter(venture_id=venture.pk, kind=events.STATUS_CHANGED).order_by(
            "at", "id"
        )
    ]


def set_status(venture, status, reason=""):
    Venture.objects.filter(pk=venture.pk).update(status=status, status_reason=reason)
    venture.refresh_from_db()


def test_transition_table_is_as_documented():
    assert sorted(ALLOWED) == [
        ("active", "closed"),
        ("active", "paused"),
        ("closed", "active"),
        ("paused", "active"),
        ("paused", "closed"),
    ]


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_allowed_transition_records_the_event(venture, seir, from_status, to_status):
    # given
    set_status(venture, from_status, "Earlier reason." if from_status != "active" else "")

    # when
    event = services.venture_set_status(
        actor=seir, venture=venture, to_status=to_status, reason="  Funding round ended.  "
    )

    # then
    venture.refresh_from_db()
    assert venture.status == to_status
    assert venture.status_reason == ("" if to_status == "active" else "Funding round ended.")
    assert (event.kind, event.subject, event.actor, event.venture_id, event.data) == (
        events.STATUS_CHANGED,
        venture,
        seir,
        venture.pk,
        {
            "from": from_status,
            "to": to_status,
            "from_label": VentureStatus(from_status).label,
            "to_label": VentureStatus(to_status).label,
            "reason": "Funding round ended.",
        },
    )
    assert status_history(venture) == [(from_status, to_status, "Funding round ended.", seir.pk)]


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_disallowed_transition_is_refused(venture, seir, snapshot, from_status, to_status):
    # given
    set_status(venture, from_status, "Earlier reason." if from_status != "active" else "")
    before = snapshot(venture)

    # when
    with pytest.raises(services.VentureError) as refused:
        services.venture_set_status(
            actor=seir, venture=venture, to_status=to_status, reason="Because."
        )

    # then
    assert refused.value.message == (
        f"A {VentureStatus(from_status).label.lower()} venture cannot become "
        f"{VentureStatus(to_status).label.lower()}."
    )
    assert snapshot(venture) == before


@pytest.mark.parametrize("to_status", [VentureStatus.CLOSED, VentureStatus.PAUSED])
@pytest.mark.parametrize("reason", ["", "   \n"])
def test_closing_or_pausing_needs_a_reason(venture, seir, snapshot, to_status, reason):
    before = snapshot(venture)

    with pytest.raises(ValidationError) as refused:
        services.venture_set_status(actor=seir, venture=venture, to_status=to_status, reason=reason)

    assert refused.value.message_dict == {
        "reason": ["Give a reason (it is kept in the venture's history)."]
    }
    assert snapshot(venture) == before


def test_reactivating_needs_no_reason_and_clears_the_old_one(venture, seir):
    # given
    services.venture_set_status(
        actor=seir, venture=venture, to_status="closed", reason="Founder left."
    )

    # when
    services.venture_set_status(actor=seir, venture=venture, to_status="active")

    # then
    venture.refresh_from_db()
    assert (venture.status, venture.status_reason) == ("active", "")
    assert status_history(venture) == [
        ("active", "closed", "Founder left.", seir.pk),
        ("closed", "active", "", seir.pk),
    ]


@pytest.mark.parametrize("actor_name", ["entrepreneur", "manager", "commissioner", "other_seir"])
def test_non_staff_cannot_change_status(request, venture, snapshot, actor_name):
    actor = request.getfixturevalue(actor_name)
    before = snapshot(venture)

    with pytest.raises(PermissionDenied):
        services.venture_set_status(actor=actor, venture=venture, to_status="closed", reason="No.")

    assert snapshot(venture) == before


def test_status_page_refusal_shows_the_error_by_the_field_and_keeps_the_choice(
    client, venture, seir, snapshot
):
    # given
    client.force_login(seir)
    before = snapshot(venture)

    # when: closing without a reason through the venture page
    response = client.post(
        reverse("ventures:status", args=[venture.pk]), {"to_status": "closed", "reason": "  "}
    )

    # then: the venture page again, the error beside Reason, "Closed" still chosen
    page = response.content.decode()
    assert response.status_code == 200
    assert "The status was not changed: see the Status section." in page
    assert "Give a reason (it is kept in the venture&#x27;s history)." in page
    assert '<option value="closed" selected>' in page
    assert snapshot(venture) == before
    assert status_history(venture) == []


def test_the_status_form_starts_with_no_choice_and_refuses_a_submit_without_one(
    client, venture, seir, snapshot
):
    # given a paused venture (issue 16 follow-up: one click on "Change status" reactivated it)
    set_status(venture, VentureStatus.PAUSED, "Lead on leave.")
    client.force_login(seir)
    before = snapshot(venture)

    # then its status form starts with an empty choice, selected
    page = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()
    assert '<option value="" selected>Choose a status</option>' in page

    # when "Change status" is clicked with no choice made
    response = client.post(reverse("ventures:status", args=[venture.pk]), {"reason": ""})

    # then nothing is written and the form says why
    page = response.content.decode()
    assert "The status was not changed: see the Status section." in page
    assert "Choose the new status." in page
    assert snapshot(venture) == before
    assert status_history(venture) == []


def test_note_page_refusal_keeps_the_visibility_and_adds_nothing(client, venture, seir):
    client.force_login(seir)

    response = client.post(
        reverse("ventures:note_add", args=[venture.pk]), {"body": "   ", "visibility": "staff"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "The note was not added: see the Activity section." in page
    assert '<option value="staff" selected>' in page
    assert not venture.notes.exists()
