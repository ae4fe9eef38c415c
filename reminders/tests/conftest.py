"""People and things for the reminder tests: one programme, its SEiR, a PCT manager and
a venture led by an entrepreneur."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from checklists.models import Checklist, ChecklistItem, ItemStatus
from commissioning.factories import ContactFactory
from commissioning.models import Introduction, Step
from funding.factories import FundingApplicationFactory
from scouting.factories import FollowUpFactory
from ventures.factories import VentureFactory
from ventures.models import Venture

TODAY = dt.date(2026, 3, 10)
NOW = timezone.make_aware(dt.datetime(2026, 3, 10, 7, 0))


@pytest.fixture
def world(db):
    programme = ProgrammeFactory(name="Birmingham East", start_date=dt.date(2026, 1, 1))
    seir = member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    lead = member(programme, Role.ENTREPRENEUR, username="lead", first_name="Lee", last_name="Lead")
    manager = member(programme, Role.MANAGER, username="manager", first_name="Mo")
    venture = VentureFactory(programme=programme, name="Saheli", seir=seir, lead=lead)
    # Active yesterday: not quiet.
    Venture.objects.filter(pk=venture.pk).update(last_activity_at=NOW - dt.timedelta(days=1))
    checklist = Checklist.objects.create(venture=venture, created_at=NOW)

    class World:
        pass

    w = World()
    w.programme, w.seir, w.lead, w.manager, w.venture = programme, seir, lead, manager, venture
    w.checklist = checklist
    return w


def item(world, label, *, due=None, owner=None, status=ItemStatus.NOT_STARTED, **fields):
    return ChecklistItem.objects.create(
        checklist=world.checklist,
        section="Governance",
        label=label,
        owner=owner,
        due_date=due,
        status=status,
        created_at=NOW - dt.timedelta(days=60),
        **fields,
    )


def followup(world, what, *, due, assignee=None, done=False):
    return FollowUpFactory(
        programme=world.programme, what=what, due=due, assignee=assignee, done=done
    )


def application(world, *, deadline, status="drafting"):
    return FundingApplicationFactory(
        venture=world.venture,
        deadline=deadline,
        status=status,
        amount_requested=Decimal("5000.00"),
    )


def introduction(world, *, step_on, step=Step.INTRODUCED, venture=None):
    contact = ContactFactory()
    return Introduction.objects.create(
        venture=venture or world.venture,
        made_by=world.seir,
        made_on=step_on,
        purpose="Meet the falls service",
        step=step,
        step_on=step_on,
        contact=contact,
        commissioner=contact.commissioner,
    )
