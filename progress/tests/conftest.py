"""A programme seeded with one of everything the dashboard counts, plus a second
programme whose rows must never show in the first one's figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from checklists.models import Checklist, ChecklistItem, ItemStatus
from commissioning.factories import ContactFactory
from commissioning.models import Contract, Introduction
from commissioning.models.contracts import ContractStatus
from commissioning.models.referrals import Step
from funding.models import ApplicationStatus, Fund, FundingApplication
from outcomes.models import Indicator, OutcomeDomain
from plans.models import BusinessPlan, PlanStatus, PlanTemplate
from scouting.factories import MeetingFactory, OrganisationFactory
from scouting.models import MeetingType, Sector
from ventures import stage_days
from ventures.factories import VentureFactory
from ventures.models import Stage, StageChange, Venture, VentureStatus


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def recount(venture: Venture) -> None:
    """After an UPDATE of a venture's stage or status, which sends no signal: the
    forecast's day rows recounted, as a save would have (``ventures.stage_days``)."""
    stage_days.programme_rebuild(venture.programme_id)


def move(venture: Venture, code: str, when: datetime.datetime) -> None:
    """Record a stage move as venture_move does (history row, stage, entered at)."""
    to = Stage.objects.get(programme=venture.programme, code=code)
    StageChange.objects.create(
        venture=venture, from_stage=venture.stage, to_stage=to, changed_at=when
    )
    venture.stage = to
    venture.stage_entered_at = when
    Venture.objects.filter(pk=venture.pk).update(stage=to, stage_entered_at=when)
    recount(venture)


def add_venture(programme, name, *, added: datetime.datetime, seir=None, **fields) -> Venture:
    venture = VentureFactory(programme=programme, name=name, seir=seir, history=added, **fields)
    Venture.objects.filter(pk=venture.pk).update(created_at=added, last_activity_at=added)
    venture.refresh_from_db()
    return venture


@pytest.fixture
def programme():
    return ProgrammeFactory(
        name="Birmingham East and North SEiR programme",
        start_date=timezone.localdate() - datetime.timedelta(days=200),
    )


@pytest.fixture
def seir_two(programme):
    return member(programme, Role.SEIR, username="seir2", first_name="Tom", last_name="Reid")


@pytest.fixture
def other_manager(other_programme):
    return member(other_programme, Role.MANAGER, username="other-manager")


@pytest.fixture
def seeded(programme, other_programme, seir, seir_two):
    """Ventures with known histories. The period is the programme's (started 200 days
    ago); the target stage is "pilot"."""
    start = programme.start_date
    today = timezone.localdate()
    before = at(start - datetime.timedelta(days=30))
    early = at(start + datetime.timedelta(days=10))

    v = {}
    # Counts: into pilot inside the period.
    v["alder"] = add_venture(programme, "Alder", added=early, seir=seir)
    move(v["alder"], "startup", at(start + datetime.timedelta(days=40)))
    move(v["alder"], "pilot", at(start + datetime.timedelta(days=100)))
    # Counts once although it went on to growth.
    v["birch"] = add_venture(programme, "Birch", added=early, seir=seir)
    move(v["birch"], "startup", at(start + datetime.timedelta(days=20)))
    move(v["birch"], "pilot", at(start + datetime.timedelta(days=60)))
    move(v["birch"], "growth", at(start + datetime.timedelta(days=150)))
    # Reached pilot before the period: never counts, even when it moves on inside it.
    v["cedar"] = add_venture(programme, "Cedar", added=before - datetime.timedelta(days=60))
    move(v["cedar"], "startup", before - datetime.timedelta(days=20))
    move(v["cedar"], "pilot", before)
    move(
        v["cedar"],
        "growth",
        at(start + datetime.timedelta(days=50)),
    )
    # Counts, then moved back: flagged.
    v["damson"] = add_venture(programme, "Damson", added=early, seir=seir_two)
    move(v["damson"], "startup", at(start + datetime.timedelta(days=30)))
    move(v["damson"], "pilot", at(start + datetime.timedelta(days=80)))
    move(v["damson"], "startup", at(start + datetime.timedelta(days=120)))
    # Counts, then paused: flagged.
    v["elm"] = add_venture(programme, "Elm", added=early, seir=seir_two)
    move(v["elm"], "startup", at(start + datetime.timedelta(days=35)))
    move(v["elm"], "pilot", at(start + datetime.timedelta(days=90)))
    Venture.objects.filter(pk=v["elm"].pk).update(status=VentureStatus.PAUSED)
    recount(v["elm"])
    # Active candidates.
    v["fir"] = add_venture(
        programme, "Fir", added=at(today - datetime.timedelta(days=3)), seir=seir
    )
    v["gorse"] = add_venture(programme, "Gorse", added=early, seir=seir_two)
    move(v["gorse"], "startup", at(start + datetime.timedelta(days=15)))  # stuck and quiet
    v["hazel"] = add_venture(programme, "Hazel", added=early, seir=seir)
    Venture.objects.filter(pk=v["hazel"].pk).update(
        status=VentureStatus.CLOSED, last_activity_at=timezone.now()
    )
    recount(v["hazel"])
    Venture.objects.filter(pk=v["fir"].pk).update(last_activity_at=timezone.now())
    Venture.objects.filter(pk=v["alder"].pk).update(last_activity_at=timezone.now())
    # Another programme's venture reaching pilot: never in this programme's figures.
    elsewhere = add_venture(other_programme, "Elsewhere", added=early)
    move(elsewhere, "startup", at(start + datetime.timedelta(days=30)))
    move(elsewhere, "pilot", at(start + datetime.timedelta(days=60)))

    # Checklist items: overdue (2, one newly), expiring (1), done, removed, submitted.
    def item(venture, label, **fields):
        checklist, _ = Checklist.objects.get_or_create(
            venture=venture, defaults={"created_at": timezone.now()}
        )
        return ChecklistItem.objects.create(
            checklist=checklist, section="Legal", label=label, created_at=timezone.now(), **fields
        )

    item(v["alder"], "Insurance", due_date=today - datetime.timedelta(days=40))
    item(v["gorse"], "Constitution", due_date=today - datetime.timedelta(days=2))
    item(
        v["birch"],
        "Bank account",
        due_date=today - datetime.timedelta(days=2),
        status=ItemStatus.SUBMITTED,
    )
    item(
        v["birch"],
        "Safeguarding",
        status=ItemStatus.ACCEPTED,
        expires_on=today + datetime.timedelta(days=10),
    )
    item(
        v["birch"],
        "DBS checks",
        status=ItemStatus.ACCEPTED,
        expires_on=today + datetime.timedelta(days=90),
    )
    item(
        v["damson"],
        "Removed",
        due_date=today - datetime.timedelta(days=9),
        removed_at=timezone.now(),
    )
    item(elsewhere, "Elsewhere", due_date=today - datetime.timedelta(days=9))

    template = PlanTemplate.objects.get(code="standard")
    BusinessPlan.objects.create(venture=v["alder"], template=template, status=PlanStatus.APPROVED)
    BusinessPlan.objects.create(venture=v["birch"], template=template, status=PlanStatus.DRAFT)
    BusinessPlan.objects.create(venture=v["fir"], template=template, status=PlanStatus.DRAFT)
    BusinessPlan.objects.create(venture=elsewhere, template=template, status=PlanStatus.DRAFT)

    funds = list(Fund.objects.order_by("order")[:2])

    def apply(venture, fund, amount, status, submitted, decided=None, awarded=None):
        return FundingApplication.objects.create(
            venture=venture,
            fund=fund,
            funding_type=fund.funding_type,
            purpose="Start-up costs",
            amount_requested=Decimal(amount),
            status=status,
            submitted_on=submitted,
            decision_date=decided,
            amount_awarded=Decimal(awarded) if awarded else None,
        )

    apply(
        v["alder"],
        funds[0],
        "5000.00",
        ApplicationStatus.AWARDED,
        start + datetime.timedelta(days=20),
        start + datetime.timedelta(days=50),
        "4500.50",
    )
    apply(
        v["birch"],
        funds[0],
        "2500.25",
        ApplicationStatus.SUBMITTED,
        start + datetime.timedelta(days=30),
    )
    apply(
        v["gorse"],
        funds[1],
        "12000.00",
        ApplicationStatus.DECLINED,
        start + datetime.timedelta(days=25),
        start + datetime.timedelta(days=60),
    )
    apply(
        v["cedar"],
        funds[1],
        "999.00",
        ApplicationStatus.SUBMITTED,
        start - datetime.timedelta(days=5),
    )
    apply(
        elsewhere,
        funds[0],
        "700.00",
        ApplicationStatus.SUBMITTED,
        start + datetime.timedelta(days=5),
    )

    for i, (venture, number) in enumerate(
        ((v["alder"], 2), (v["alder"], 2), (v["birch"], 3), (elsewhere, 2))
    ):
        Indicator.objects.create(
            venture=venture,
            domain=OutcomeDomain.objects.get(number=number),
            name=f"Indicator {i}",
            unit="people",
            baseline=Decimal("1"),
            target=Decimal("5"),
        )

    contact = ContactFactory()
    for venture, step, made in (
        (v["alder"], Step.CONTRACT_AWARDED, start + datetime.timedelta(days=30)),
        (v["birch"], Step.INTRODUCED, start + datetime.timedelta(days=40)),
        (v["birch"], Step.MEETING_HELD, start + datetime.timedelta(days=50)),
        (v["gorse"], Step.INTRODUCED, start - datetime.timedelta(days=3)),
        (elsewhere, Step.INTRODUCED, start + datetime.timedelta(days=40)),
    ):
        Introduction.objects.create(
            venture=venture,
            made_by=seir,
            made_on=made,
            purpose="Meet the commissioner",
            step=step,
            step_on=made,
            contact=contact,
            commissioner=contact.commissioner,
        )
    for venture, value, status, begins in (
        (v["alder"], "30000.00", ContractStatus.SIGNED, start + datetime.timedelta(days=90)),
        (v["birch"], "12500.75", ContractStatus.LIVE, start + datetime.timedelta(days=120)),
        (v["gorse"], "8000.00", ContractStatus.SIGNED, start - datetime.timedelta(days=40)),
        (elsewhere, "1.00", ContractStatus.SIGNED, start + datetime.timedelta(days=90)),
    ):
        Contract.objects.create(
            venture=venture,
            commissioner=contact.commissioner,
            service="Community clinic",
            value=Decimal(value),
            start_date=begins,
            end_date=begins + datetime.timedelta(days=365),
            status=status,
        )

    saheli = OrganisationFactory(programme=programme, sector=Sector.COMMUNITY_GROUP)
    surgery = OrganisationFactory(programme=programme, sector=Sector.GP_PRACTICE)
    in_period = at(start + datetime.timedelta(days=5))
    # Named by location, so the scouting funnel's tests can find them.
    MeetingFactory(
        programme=programme,
        held_at=in_period,
        organisations=[saheli],
        logged_by=seir,
        location="M1",
    )
    MeetingFactory(
        programme=programme,
        held_at=in_period,
        organisations=[saheli, surgery],
        meeting_type=MeetingType.EVENT,
        logged_by=seir_two,
        location="M2",
    )
    MeetingFactory(
        programme=programme,
        held_at=in_period,
        meeting_type=MeetingType.EVENT,
        logged_by=seir,
        location="M3",
    )
    MeetingFactory(
        programme=programme, held_at=before, organisations=[surgery], logged_by=seir, location="M4"
    )
    MeetingFactory(programme=other_programme, held_at=in_period, location="M5")
    return v
