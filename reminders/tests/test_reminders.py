"""Issue 18 item 2: reminders on a schedule, one email per person per run, each
reminder sent once whatever retries, duplicated ticks or racing workers do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.factories import member
from accounts.roles import Role
from checklists.models import ItemStatus
from reminders import services, tasks  # noqa: F401  (registers the tasks)
from reminders.collect import reminders_due
from reminders.consumers import reminders_email
from reminders.models import Reminder, ReminderKind
from seir.celery import app
from ventures.factories import VentureFactory
from ventures.models import Venture, VentureStatus

from .conftest import NOW, TODAY, application, followup, introduction, item

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def run(django_capture_on_commit_callbacks, now=NOW) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return services.reminders_send(now=now)


def bodies_by_recipient() -> dict[str, str]:
    return {message.to[0]: message.body for message in mail.outbox}


def listed(body: str) -> list[str]:
    return [line[2:] for line in body.splitlines() if line.startswith("- ")]


def test_one_email_per_person_listing_everything_due_for_them(
    world, django_capture_on_commit_callbacks
):
    # Given: things overdue or due soon for the lead and the SEiR, and things that are not
    item(world, "Insurance", due=TODAY - 3 * DAY, owner=world.lead)
    item(world, "Bank account", due=TODAY + 7 * DAY, owner=world.lead)
    item(world, "Board minutes", due=TODAY + 8 * DAY, owner=world.lead)  # not yet
    item(world, "Policy", due=TODAY - DAY, owner=world.lead, status=ItemStatus.SUBMITTED)
    item(world, "Accepted", due=TODAY - DAY, owner=world.lead, status=ItemStatus.ACCEPTED)
    item(world, "Safeguarding", due=TODAY - 10 * DAY)  # no owner: the SEiR's
    item(
        world,
        "Registration",
        status=ItemStatus.ACCEPTED,
        expires_on=TODAY + 30 * DAY,
        owner=world.lead,
    )
    followup(world, "Call the GP practice", due=TODAY - 2 * DAY, assignee=world.seir)
    followup(world, "Done already", due=TODAY - 2 * DAY, assignee=world.seir, done=True)
    application(world, deadline=TODAY + 14 * DAY)
    application(world, deadline=TODAY + 15 * DAY)  # not yet
    introduction(world, step_on=TODAY - 15 * DAY)
    introduction(world, step_on=TODAY - 13 * DAY)  # not yet
    quiet = VentureFactory(programme=world.programme, name="Quiet Co", seir=world.seir)
    Venture.objects.filter(pk=quiet.pk).update(last_activity_at=NOW - 46 * DAY)

    # When
    queued = run(django_capture_on_commit_callbacks)

    # Then: two emails, one each, listing everything for that person
    assert queued == 2
    assert len(mail.outbox) == 2
    bodies = bodies_by_recipient()
    assert set(bodies) == {"lead@example.nhs.uk", "seir@example.nhs.uk"}
    assert listed(bodies["lead@example.nhs.uk"]) == [
        "Saheli: checklist item “Insurance” was due on 7 Mar 2026",
        "Saheli: checklist item “Bank account” is due on 17 Mar 2026",
        "Saheli: the Social Enterprise Investment Fund (SEIF) application closes on 24 Mar 2026",
        "Saheli: the evidence for “Registration” expires after 9 Apr 2026",
    ]
    assert listed(bodies["seir@example.nhs.uk"]) == [
        "Saheli: checklist item “Safeguarding” was due on 28 Feb 2026",
        "Follow-up “Call the GP practice” was due on 8 Mar 2026",
        "Saheli: the evidence for “Registration” expires after 9 Apr 2026",
        f"Saheli: {introduction_name(world)} has not answered the introduction for 15 days",
        "Quiet Co: nothing has happened since 23 Jan 2026",
    ]
    assert mail.outbox[0].subject.startswith("SEiR Pipeline: ")
    assert Reminder.objects.filter(emailed_at__isnull=False).count() == 9
    assert Reminder.objects.filter(emailed_at__isnull=True).count() == 0


def introduction_name(world) -> str:
    from commissioning.models import Introduction

    return Introduction.objects.order_by("pk").first().commissioner.name


def test_the_email_links_to_each_thing(world, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://seir.example.org"
    overdue = item(world, "Insurance", due=TODAY - 3 * DAY, owner=world.lead)
    run(django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert f"https://seir.example.org/checklists/items/{overdue.pk}/" in message.body
    html = message.alternatives[0][0]
    assert f'href="https://seir.example.org/checklists/items/{overdue.pk}/"' in html


def test_running_twice_sends_each_reminder_once(world, django_capture_on_commit_callbacks):
    overdue = item(world, "Insurance", due=TODAY - 3 * DAY, owner=world.lead)
    assert run(django_capture_on_commit_callbacks) == 1
    # A retried task or a duplicated beat tick, the same day and the next
    assert run(django_capture_on_commit_callbacks) == 0
    assert run(django_capture_on_commit_callbacks, now=NOW + DAY) == 0
    assert len(mail.outbox) == 1
    # The row written by the run's single INSERT reads back as the ORM wrote it.
    reminder = Reminder.objects.get()
    assert (reminder.recipient, reminder.kind, reminder.due_on) == (
        world.lead,
        ReminderKind.ITEM_OVERDUE,
        TODAY - 3 * DAY,
    )
    assert reminder.created_at == NOW
    assert reminder.key == f"item_overdue:{overdue.pk}:2026-03-07:{world.lead.pk}"
    assert Reminder.objects.filter(run=reminder.run).count() == 1


def test_a_new_due_date_is_a_new_reminder(world, django_capture_on_commit_callbacks):
    thing = item(world, "Insurance", due=TODAY - 3 * DAY, owner=world.lead)
    run(django_capture_on_commit_callbacks)
    thing.due_date = TODAY + 2 * DAY
    thing.save()
    assert run(django_capture_on_commit_callbacks) == 1
    assert listed(mail.outbox[1].body) == [
        "Saheli: checklist item “Insurance” is due on 12 Mar 2026"
    ]


def test_two_workers_racing_on_the_same_run_send_once(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    # Given: worker A has read what is due, and worker B runs in full before A writes
    item(world, "Insurance", due=TODAY - 3 * DAY, owner=world.lead)
    item(world, "Safeguarding", due=TODAY - 3 * DAY)
    real = services.reminders_due
    raced = []

    def worker_a_reads_then_b_runs(**kwargs):
        dues = real(**kwargs)
        if not raced:
            raced.append(True)
            raced.append(services.reminders_send(now=NOW))  # worker B, interleaved
        return dues

    monkeypatch.setattr(services, "reminders_due", worker_a_reads_then_b_runs)
    # When: worker A writes what it read
    with django_capture_on_commit_callbacks(execute=True):
        sent_by_a = services.reminders_send(now=NOW)
    # Then: B sent both emails and A, finding every key taken, sent none
    assert raced[1] == 2
    assert sent_by_a == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["lead@example.nhs.uk", "seir@example.nhs.uk"]
    assert Reminder.objects.count() == 2
    assert len(set(Reminder.objects.values_list("run", flat=True))) == 1


def test_a_second_delivery_of_the_same_email_sends_nothing(
    world, django_capture_on_commit_callbacks
):
    item(world, "Insurance", due=TODAY - 3 * DAY, owner=world.lead)
    run(django_capture_on_commit_callbacks)
    reminder = Reminder.objects.get()
    # The outbox delivers the same message again (a worker died before marking it)
    reminders_email({"run": str(reminder.run), "user_id": world.lead.pk})
    assert len(mail.outbox) == 1


def test_anything_with_no_owner_who_can_act_goes_to_the_ventures_seir(
    world, django_capture_on_commit_callbacks
):
    outsider = member(world.programme, Role.ENTREPRENEUR, username="outsider")  # not in team
    gone = member(world.programme, Role.ENTREPRENEUR, username="gone")
    world.venture.team.create(user=gone)
    gone.is_active = False
    gone.save()
    item(world, "Owned by an outsider", due=TODAY - DAY, owner=outsider)
    item(world, "Owned by someone gone", due=TODAY - DAY, owner=gone)
    run(django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == ["seir@example.nhs.uk"]
    assert len(listed(message.body)) == 2


def test_a_seir_whose_role_was_removed_is_told_nothing_of_the_venture(
    world, django_capture_on_commit_callbacks
):
    # Given: the venture's SEiR no longer runs the programme (Venture.seir stays set), an
    # item of the venture they owned, and another SEiR who does run it
    other_seir = member(world.programme, Role.SEIR, username="other")
    world.programme.memberships.filter(user=world.seir).delete()
    item(world, "Safeguarding", due=TODAY - DAY)
    item(world, "Owned by the former SEiR", due=TODAY - DAY, owner=world.seir)

    run(django_capture_on_commit_callbacks)

    # Then: both go to the SEiR who runs it now; the former SEiR gets no email
    (message,) = mail.outbox
    assert message.to == [other_seir.email]
    assert len(listed(message.body)) == 2


def test_with_no_seir_the_programmes_seirs_are_told(world, django_capture_on_commit_callbacks):
    other_seir = member(world.programme, Role.SEIR, username="other")
    Venture.objects.filter(pk=world.venture.pk).update(seir=None)
    item(world, "Safeguarding", due=TODAY - DAY)
    run(django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == [
        other_seir.email,
        "seir@example.nhs.uk",
    ]


def test_paused_and_closed_ventures_are_not_reminded(world, django_capture_on_commit_callbacks):
    item(world, "Insurance", due=TODAY - 3 * DAY, owner=world.lead)
    Venture.objects.filter(pk=world.venture.pk).update(status=VentureStatus.PAUSED)
    assert run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert Reminder.objects.count() == 0


def test_quiet_follows_the_programmes_own_quiet_after_setting(
    world, django_capture_on_commit_callbacks
):
    # Given a programme that calls a venture quiet after 10 days, and one idle for 11
    world.programme.quiet_after_days = 10
    world.programme.save(update_fields=["quiet_after_days"])
    idle = VentureFactory(programme=world.programme, name="Idle Co", seir=world.seir)
    Venture.objects.filter(pk=idle.pk).update(last_activity_at=NOW - 11 * DAY)
    # When
    run(django_capture_on_commit_callbacks)
    # Then the SEiR is reminded of it, though 45 days (the default) have not passed
    assert "Idle Co: nothing has happened since" in bodies_by_recipient()["seir@example.nhs.uk"]


def test_a_quiet_ventures_last_day_is_the_london_day(world):
    # Given: a venture last active at 00:30 on 2 June, British Summer Time (23:30 UTC
    # on 1 June), and quiet since
    now = timezone.make_aware(dt.datetime(2026, 7, 20, 7, 0))
    Venture.objects.filter(pk=world.venture.pk).update(last_activity_at=now)
    idle = VentureFactory(programme=world.programme, name="Idle Co", seir=world.seir)
    last = timezone.make_aware(dt.datetime(2026, 6, 2, 0, 30))
    Venture.objects.filter(pk=idle.pk).update(last_activity_at=last)
    # When
    (due,) = reminders_due(now=now, today=timezone.localdate(now))
    # Then: the reminder names the day it happened in London, and is keyed by it
    assert due.text == "Idle Co: nothing has happened since 2 Jun 2026"
    assert due.key == f"quiet_venture:{idle.pk}:2026-06-02:{world.seir.pk}"


def test_nothing_due_sends_nothing(world, django_capture_on_commit_callbacks):
    item(world, "Later", due=TODAY + 30 * DAY, owner=world.lead)
    assert run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def _grow(world, n: int) -> None:
    for i in range(n):
        item(world, f"Item {i}", due=TODAY - DAY, owner=world.lead)
        item(world, f"Unowned {i}", due=TODAY + DAY)
        item(world, f"Licence {i}", status=ItemStatus.ACCEPTED, expires_on=TODAY + 5 * DAY)
        followup(world, f"Follow-up {i}", due=TODAY - DAY, assignee=world.seir)
        application(world, deadline=TODAY + 3 * DAY)
        introduction(world, step_on=TODAY - 20 * DAY)
        quiet = VentureFactory(programme=world.programme, seir=world.seir)
        Venture.objects.filter(pk=quiet.pk).update(last_activity_at=NOW - 60 * DAY)


@pytest.mark.parametrize("size", [2, 12])
def test_a_runs_queries_do_not_grow_with_the_items(world, size):
    # Given: the same two recipients with `size` things of every kind each
    _grow(world, size)
    # When
    with CaptureQueriesContext(connection) as queries:
        queued = services.reminders_send(now=NOW)
    # Then: the same 20 queries at both sizes: 3 reads of who may act, 1 per source (6)
    # and one for the programmes' "quiet after" settings,
    # the run's transaction (2) with its insert, its read of the recipients and one keyed
    # outbox row per recipient (3 each)
    assert queued == 2
    assert Reminder.objects.count() == size * 8
    assert len(queries) == 20, [q["sql"][:80] for q in queries.captured_queries]


def test_the_beat_schedule_runs_the_reminders_daily_and_the_digest_weekly():
    schedule = app.conf.beat_schedule
    reminders = schedule["send-reminders"]
    assert "remind" in reminders["task"]
    assert reminders["task"] in app.tasks
    assert reminders["schedule"].hour == {7}
    assert reminders["schedule"].minute == {0}
    digest = schedule["send-manager-digests"]
    assert digest["task"] in app.tasks
    assert digest["schedule"].day_of_week == {1}


def test_the_task_runs_eagerly(world, django_capture_on_commit_callbacks):
    item(world, "Insurance", due=timezone.localdate() - DAY, owner=world.lead)
    Venture.objects.filter(pk=world.venture.pk).update(last_activity_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.send_reminders.delay()
    assert result.get() == 1
    assert [m.to for m in mail.outbox] == [["lead@example.nhs.uk"]]


def test_reminders_due_names_each_kind_once(world):
    item(world, "Insurance", due=TODAY - 3 * DAY, owner=world.lead)
    dues = reminders_due(now=NOW, today=TODAY)
    assert [(d.kind, d.recipient_id) for d in dues] == [(ReminderKind.ITEM_OVERDUE, world.lead.pk)]
