"""Issue 18 item 3: the weekly digest for PCT managers, once a week each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from accounts.factories import member
from accounts.roles import Role
from checklists.models import Checklist, ChecklistItem
from commissioning.factories import CommissionerFactory
from commissioning.models import Contract
from progress.periods import programme_period
from progress.selectors import programme_figures
from reminders.consumers import digest_email
from reminders.models import Reminder
from reminders.services import digests_send
from ventures.factories import VentureFactory
from ventures.models import Stage, StageChange, Venture, VentureStatus

from .conftest import item

pytestmark = pytest.mark.django_db

# A Monday morning: the digest covers Monday 2 to Sunday 8 March 2026.
MONDAY = timezone.make_aware(dt.datetime(2026, 3, 9, 7, 30))
IN_WEEK = timezone.make_aware(dt.datetime(2026, 3, 4, 12, 0))
BEFORE = timezone.make_aware(dt.datetime(2026, 2, 27, 12, 0))


def send(django_capture_on_commit_callbacks, now=MONDAY) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return digests_send(now=now)


def test_each_manager_gets_the_weeks_figures_with_links(
    world, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://seir.example.org"
    # Given: one move and one new venture in the week, one move before it
    pilot = Stage.objects.get(programme=world.programme, code="pilot")
    StageChange.objects.create(
        venture=world.venture, from_stage=world.venture.stage, to_stage=pilot, changed_at=IN_WEEK
    )
    StageChange.objects.create(
        venture=world.venture, from_stage=world.venture.stage, to_stage=pilot, changed_at=BEFORE
    )
    Venture.objects.filter(pk=world.venture.pk).update(stage=pilot, created_at=BEFORE)
    fresh = VentureFactory(programme=world.programme, name="New Leaf")
    Venture.objects.filter(pk=fresh.pk).update(created_at=IN_WEEK)
    contract = Contract.objects.create(
        venture=world.venture,
        commissioner=CommissionerFactory(),
        service="Falls prevention",
        value=Decimal("12000.00"),
        start_date=dt.date(2026, 4, 1),
        end_date=dt.date(2027, 3, 31),
    )
    Contract.objects.filter(pk=contract.pk).update(created_at=IN_WEEK)
    item(world, "Overdue", due=timezone.localdate() - dt.timedelta(days=1), owner=world.lead)

    # When
    assert send(django_capture_on_commit_callbacks) == 1

    # Then
    (message,) = mail.outbox
    assert message.to == ["manager@example.nhs.uk"]
    assert message.subject == "SEiR Pipeline: Birmingham East, the week from 2 Mar 2026"
    body = message.body
    assert "Stage moves: 1\n- Saheli: Idea → Pilot " in body
    assert f"https://seir.example.org/ventures/{world.venture.pk}/" in body
    assert f"New ventures: 1\n- New Leaf https://seir.example.org/ventures/{fresh.pk}/" in body
    assert "Contracts recorded: 1\n- Saheli: Falls prevention (£12,000.00) " in body
    assert f"https://seir.example.org/commissioning/contracts/{contract.pk}/" in body
    assert "Checklist items overdue today: 1" in body
    target = world.programme.target_ventures
    # The dashboard's definition: Saheli first reached Pilot on 27 Feb 2026, inside the
    # programme's period (from 1 Jan 2026), so it counts (issue 17: one definition).
    assert (
        f"Target: 1 of {target} ventures reached Pilot / modest project (or a later stage) "
        "within the programme's period. The dashboard: "
        f"https://seir.example.org/dashboard/?programme={world.programme.pk}"
    ) in body
    assert "Birmingham East: the week from 2 Mar 2026 to 8 Mar 2026." in body
    html = message.alternatives[0][0]
    assert f'href="https://seir.example.org/programmes/{world.programme.pk}/"' in html


def test_the_overdue_count_is_the_dashboards(world, django_capture_on_commit_callbacks):
    """The email links to the dashboard: both count a paused venture's overdue item."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    item(world, "Overdue", due=yesterday)
    paused = VentureFactory(programme=world.programme, name="Resting", status=VentureStatus.PAUSED)
    ChecklistItem.objects.create(
        checklist=Checklist.objects.create(venture=paused, created_at=timezone.now()),
        section="Governance",
        label="Paused",
        due_date=yesterday,
        created_at=timezone.now(),
    )

    send(django_capture_on_commit_callbacks)

    period = programme_period(world.programme)
    assert (
        programme_figures(programme=world.programme, period=period).development.items_overdue == 2
    )
    assert "Checklist items overdue today: 2" in mail.outbox[0].body


def test_the_digest_is_sent_once_a_week(world, django_capture_on_commit_callbacks):
    assert send(django_capture_on_commit_callbacks) == 1
    assert send(django_capture_on_commit_callbacks) == 0
    assert send(django_capture_on_commit_callbacks, now=MONDAY + dt.timedelta(hours=5)) == 0
    assert len(mail.outbox) == 1
    assert send(django_capture_on_commit_callbacks, now=MONDAY + dt.timedelta(days=7)) == 1
    assert len(mail.outbox) == 2


def test_only_active_pct_managers_get_it(world, django_capture_on_commit_callbacks):
    gone = member(world.programme, Role.MANAGER, username="gone")
    gone.is_active = False
    gone.save()
    send(django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["manager@example.nhs.uk"]]
    assert Reminder.objects.count() == 1


def test_a_manager_removed_before_the_digest_is_sent_gets_nothing(
    world, django_capture_on_commit_callbacks
):
    # Given: the digest queued for the manager (not yet handed to the mail server)
    with django_capture_on_commit_callbacks(execute=False):
        assert digests_send(now=MONDAY) == 1
    (queued,) = Reminder.objects.all()
    # When: their role in the programme is removed, then the queued email is delivered
    world.programme.memberships.filter(user=world.manager).delete()
    digest_email({"reminder_id": queued.pk})
    # Then: nothing is sent, and it is not tried again
    assert mail.outbox == []
    queued.refresh_from_db()
    assert queued.emailed_at is not None


def test_a_finished_programme_gets_no_digest(world, django_capture_on_commit_callbacks):
    later = MONDAY + dt.timedelta(days=800)
    assert send(django_capture_on_commit_callbacks, now=later) == 0
    assert mail.outbox == []


def test_a_line_break_in_the_programmes_name_does_not_stop_the_digest(
    world, django_capture_on_commit_callbacks
):
    # Given: a programme whose name has a line break in it (a header may not hold one)
    world.programme.name = "Birmingham\r\nEast"
    world.programme.save(update_fields=["name"])
    # When
    assert send(django_capture_on_commit_callbacks) == 1
    # Then: the digest goes, its subject on one line
    (message,) = mail.outbox
    assert message.subject == "SEiR Pipeline: Birmingham East, the week from 2 Mar 2026"
    assert Reminder.objects.get().emailed_at is not None
