"""A reminder email that goes late reads access again: the email is queued in the outbox
when the reminders are recorded and sent later by the worker; someone who lost their
access to what a reminder is about in between (taken off the team, their role removed,
their account closed) is not sent it, and the outbox message ends delivered, not retried.
Access is revoked as another database client would: no signal, no service, no cache."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection

from accounts.factories import member
from accounts.roles import Role
from checklists.models import Checklist
from outbox.delivery import DELIVERED, deliver_message, due_ids
from outbox.models import OutboxMessage
from reminders import services
from reminders.models import Reminder
from ventures.factories import VentureFactory
from ventures.models import Venture

from .conftest import NOW, TODAY, followup, introduction, item

pytestmark = pytest.mark.django_db

SENT = NOW + dt.timedelta(minutes=5)
FOREVER = NOW + dt.timedelta(days=365)


def queue() -> list[OutboxMessage]:
    """Record the reminders due; their emails wait in the outbox (no commit runs here)."""
    services.reminders_send(now=NOW)
    return list(OutboxMessage.objects.filter(topic=services.TOPIC_REMINDERS).order_by("pk"))


def send_all(messages: list[OutboxMessage]) -> list[str]:
    return [deliver_message(message.pk, now=SENT) for message in messages]


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def off_the_team(user, venture) -> None:
    sql(
        "DELETE FROM ventures_teammembership WHERE user_id = %s AND venture_id = %s",
        [user.pk, venture.pk],
    )


def role_removed(user, programme) -> None:
    sql(
        "DELETE FROM accounts_programmemembership WHERE user_id = %s AND programme_id = %s",
        [user.pk, programme.pk],
    )


def account_closed(user) -> None:
    sql("UPDATE accounts_user SET is_active = %s WHERE id = %s", [False, user.pk])


def assert_settled(messages: list[OutboxMessage]) -> None:
    """Every message ran once to the end: delivered, nothing left for the drain."""
    for message in messages:
        message.refresh_from_db()
        assert message.delivered_at is not None
        assert message.attempts == 1
        assert message.last_error == ""
    assert due_ids(now=FOREVER) == []


def test_a_team_member_taken_off_the_team_before_it_goes_is_sent_nothing(world):
    # Given: the lead's overdue item is reminded, its email waiting in the outbox
    item(world, "Insurance certificate", due=TODAY - dt.timedelta(days=3), owner=world.lead)
    messages = queue()
    assert [r.recipient for r in Reminder.objects.all()] == [world.lead]
    # When: they leave the team, then the worker sends it
    off_the_team(world.lead, world.venture)
    assert send_all(messages) == [DELIVERED]
    # Then: no email names the venture or the item, and nothing waits to be tried again
    assert mail.outbox == []
    assert_settled(messages)
    # and the reminder is done with (a second delivery of the message sends nothing).
    assert Reminder.objects.filter(emailed_at=None).count() == 0
    assert deliver_message(messages[0].pk, now=FOREVER) == "skipped"
    assert mail.outbox == []


def test_a_seir_whose_role_is_removed_is_sent_nothing(world):
    # Given: the SEiR's reminders (an unanswered introduction, a follow-up) are queued
    introduction(world, step_on=TODAY - dt.timedelta(days=20))
    followup(world, "Ring the falls service", due=TODAY, assignee=world.seir)
    messages = queue()
    assert sorted(Reminder.objects.values_list("kind", flat=True)) == [
        "followup_due",
        "introduction_waiting",
    ]
    # When: their SEiR role in the programme is removed
    role_removed(world.seir, world.programme)
    send_all(messages)
    # Then
    assert mail.outbox == []
    assert_settled(messages)


def test_a_closed_account_is_sent_nothing(world):
    item(world, "Insurance certificate", due=TODAY - dt.timedelta(days=3), owner=world.lead)
    messages = queue()
    account_closed(world.lead)
    send_all(messages)
    assert mail.outbox == []
    assert_settled(messages)


def test_a_seir_who_became_a_manager_is_not_sent_the_staff_only_reminders(world):
    # Given: an unanswered introduction (its page is the SEiRs') is reminded to the SEiR
    introduction(world, step_on=TODAY - dt.timedelta(days=20))
    messages = queue()
    # When: their SEiR role is swapped for a PCT manager's (who reads, but does not run)
    role_removed(world.seir, world.programme)
    sql(
        "INSERT INTO accounts_programmemembership (programme_id, user_id, role, joined_at) "
        "VALUES (%s, %s, %s, %s)",
        [world.programme.pk, world.seir.pk, Role.MANAGER.value, NOW],
    )
    send_all(messages)
    # Then
    assert mail.outbox == []
    assert_settled(messages)


def test_only_what_they_may_still_see_is_listed(world):
    # Given: the lead is on two ventures' teams, an item overdue in each
    other = VentureFactory(programme=world.programme, name="Green Shoots", lead=world.lead)
    Venture.objects.filter(pk=other.pk).update(last_activity_at=NOW)
    item(world, "Insurance certificate", due=TODAY - dt.timedelta(days=3), owner=world.lead)
    world.checklist = Checklist.objects.create(venture=other, created_at=NOW)
    item(world, "Bank account", due=TODAY - dt.timedelta(days=2), owner=world.lead)
    messages = queue()
    assert len(messages) == 1
    # When: they leave the first venture's team
    off_the_team(world.lead, world.venture)
    send_all(messages)
    # Then: one email, about the venture they are still on only
    (email,) = mail.outbox
    assert email.to == [world.lead.email]
    assert email.subject == "SEiR Pipeline: 1 reminder for you"
    assert "Green Shoots" in email.body and "Bank account" in email.body
    assert "Saheli" not in email.body and "Insurance" not in email.body
    html = email.alternatives[0][0]
    assert "Saheli" not in html and "Insurance" not in html
    assert_settled(messages)
    assert Reminder.objects.filter(emailed_at=None).count() == 0


def test_someone_still_allowed_is_sent_their_reminders(world):
    # Given: reminders for the lead and the SEiR, and an outsider's role removed (not theirs)
    item(world, "Insurance certificate", due=TODAY - dt.timedelta(days=3), owner=world.lead)
    introduction(world, step_on=TODAY - dt.timedelta(days=20))
    followup(world, "Ring the falls service", due=TODAY, assignee=world.seir)
    bystander = member(world.programme, Role.SEIR, username="bystander")
    messages = queue()
    role_removed(bystander, world.programme)
    # When
    assert send_all(messages) == [DELIVERED, DELIVERED]
    # Then: each still allowed gets theirs, in full
    by_person = {tuple(m.to): m.body for m in mail.outbox}
    assert set(by_person) == {(world.lead.email,), (world.seir.email,)}
    assert (
        "Saheli: checklist item “Insurance certificate” was due" in by_person[(world.lead.email,)]
    )
    seirs = by_person[(world.seir.email,)]
    assert "Saheli:" in seirs and "has not answered the introduction" in seirs
    assert "Follow-up “Ring the falls service” is due" in seirs
    assert_settled(messages)
