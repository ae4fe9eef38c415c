"""Commissioning data at scale for benchmarks (``make bench``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Programme, User
from ventures.models import Venture

from .demo import PROGRAMME, _say, seed_demo
from .models import (
    STEPS_NEEDING_DATES,
    Contact,
    Contract,
    Introduction,
    IntroductionStep,
    OutcomeDomain,
    ProposedMeetingDate,
    Step,
    VentureFocus,
)


def seed_scale(*, ventures: int, stdout=None) -> None:
    """Bulk introductions, steps, focus and contracts for up to ``ventures`` demo ventures,
    for benchmarks (``seed_demo`` first). Bulk inserts skip the services' events on
    purpose: this is volume for timing pages, not a history. Idempotent per venture."""
    seed_demo(stdout=stdout)
    programme = Programme.objects.filter(name=PROGRAMME).first()
    seir = User.objects.filter(username="seir").first()
    contacts = list(Contact.objects.filter(is_active=True).order_by("pk"))
    if programme is None or seir is None or not contacts:
        return
    done = Introduction.objects.values("venture_id")
    todo = list(
        Venture.objects.filter(programme=programme)
        .exclude(pk__in=done)
        .order_by("pk")
        .values_list("pk", flat=True)[:ventures]
    )
    steps = list(Step.values)
    today = timezone.localdate()
    domains = list(OutcomeDomain.objects.order_by("number"))
    with transaction.atomic():
        introductions = []
        for index, venture_id in enumerate(todo):
            contact = contacts[index % len(contacts)]
            made_on = today - datetime.timedelta(days=index % 300 + 1)
            introductions.append(
                Introduction(
                    venture_id=venture_id,
                    contact=contact,
                    commissioner_id=contact.commissioner_id,
                    made_by=seir,
                    made_on=made_on,
                    purpose="Benchmark introduction.",
                    step=steps[index % len(steps)],
                    step_on=made_on,
                )
            )
        Introduction.objects.bulk_create(introductions, batch_size=500)
        now = timezone.now()
        history = IntroductionStep.objects.bulk_create(
            [
                IntroductionStep(
                    introduction=i,
                    from_step="",
                    to_step=i.step,
                    on=i.step_on,
                    changed_by=seir,
                    changed_at=now,
                )
                for i in introductions
            ],
            batch_size=500,
        )
        # A meeting agreed carries its proposed dates, as the service requires.
        ProposedMeetingDate.objects.bulk_create(
            [
                ProposedMeetingDate(step=change, on=change.on + datetime.timedelta(days=days))
                for change in history
                if change.to_step in STEPS_NEEDING_DATES
                for days in (7, 9)
            ],
            batch_size=500,
        )
        focuses = VentureFocus.objects.bulk_create(
            [VentureFocus(venture_id=pk) for pk in todo], batch_size=500, ignore_conflicts=True
        )
        through = VentureFocus.domains.through
        focus_ids = dict(
            VentureFocus.objects.filter(venture_id__in=todo).values_list("venture_id", "pk")
        )
        through.objects.bulk_create(
            [
                through(venturefocus_id=focus_ids[pk], outcomedomain_id=domains[i % 5].pk)
                for i, pk in enumerate(todo)
            ],
            batch_size=500,
            ignore_conflicts=True,
        )
        Contract.objects.bulk_create(
            [
                Contract(
                    venture_id=i.venture_id,
                    commissioner_id=i.commissioner_id,
                    introduction=i,
                    service="Benchmark service",
                    value=Decimal("10000.00"),
                    start_date=today - datetime.timedelta(days=30),
                    end_date=today + datetime.timedelta(days=335),
                    status="live",
                    created_by=seir,
                )
                for i in introductions
                if i.step == Step.CONTRACT_AWARDED
            ],
            batch_size=500,
        )
        # bulk_create sends no signal: the dashboard's day rows (introductions and
        # contracts), once for the programme.
        from .tallies import programme_rebuild

        programme_rebuild(programme.pk)
    _say(
        stdout, f"Commissioning scale: {len(introductions)} introductions, {len(focuses)} focuses."
    )
