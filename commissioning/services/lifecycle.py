"""The dated lifecycle shared by introductions and support referrals.

One service moves any referral: lock the row, refuse a stale client, look the move up in
STEP_TRANSITIONS (data, enforced by ``seir.transitions``), check who may make it, record
the event — the shape of ventures' venture_move. A support referral's history is its
events alone; an introduction's steps are also rows (``IntroductionStep``), because the
meeting dates proposed with a step hang off it and the calendar and the CSV read them.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from events.models import Event
from events.services import event_record
from seir.refusals import require
from ventures.models import Venture

from .. import permissions
from ..models import (
    FINAL_STEPS,
    MAX_PROPOSED_DATES,
    STEP_TRANSITIONS,
    STEPS_NEEDING_DATES,
    STEPS_NEEDING_NOTE,
    Contact,
    Introduction,
    IntroductionStep,
    Priority,
    ProposedMeetingDate,
    Step,
    SupportProvider,
    SupportReferral,
)
from .errors import LATEST, CommissioningError, StaleStep, check_past_date

OPEN_STEPS = [step for step in Step.values if step not in FINAL_STEPS]


def _check_step_move(referral, to_step: str, note: str) -> None:
    if to_step not in Step.values:
        raise CommissioningError("Choose one of the listed steps.")
    if to_step == referral.step:
        raise CommissioningError(f"It is already at “{referral.get_step_display()}”.")
    STEP_TRANSITIONS.require(referral.step, to_step, refusal=CommissioningError)
    if to_step in STEPS_NEEDING_NOTE and not note:
        raise ValidationError({"note": "Give a reason (it is kept in the history)."})


def _check_proposed_dates(referral, to_step: str, dates, on: datetime.date) -> list:
    """The meeting dates proposed with a move: needed (one or more, none before the day of
    the step) for an introduction's move to a step in STEPS_NEEDING_DATES, refused with
    any other move. Sorted, each once."""
    dates = sorted(set(dates))
    needs = isinstance(referral, Introduction) and to_step in STEPS_NEEDING_DATES
    if not needs:
        if dates:
            raise ValidationError(
                {"proposed_dates": "Dates are proposed only when a meeting is agreed."}
            )
        return []
    if not dates:
        raise ValidationError({"proposed_dates": "Propose at least one date for the meeting."})
    if len(dates) > MAX_PROPOSED_DATES:
        raise ValidationError({"proposed_dates": f"Propose at most {MAX_PROPOSED_DATES} dates."})
    if dates[0] < on:
        raise ValidationError(
            {"proposed_dates": f"Propose dates from {on:%d %B %Y} (the day agreed) onwards."}
        )
    if dates[-1] > LATEST:
        raise ValidationError({"proposed_dates": f"Propose dates before {LATEST:%Y}."})
    return dates


def _record_step(
    *, actor, referral, from_step: str, to_step: str, on, note: str, proposed_dates=()
) -> Event:
    if isinstance(referral, Introduction):
        kind = "commissioning.introduction_moved"
        change = IntroductionStep.objects.create(
            introduction=referral,
            from_step=from_step,
            to_step=to_step,
            on=on,
            note=note,
            changed_by=actor,
            changed_at=timezone.now(),
        )
        if proposed_dates:
            ProposedMeetingDate.objects.bulk_create(
                ProposedMeetingDate(step=change, on=day) for day in proposed_dates
            )
    else:
        kind = "commissioning.referral_moved"
    return event_record(
        actor=actor,
        kind=kind,
        subject=referral,
        venture=referral.venture,
        data={
            "from": from_step,
            "to": to_step,
            "from_label": Step(from_step).label if from_step else "",
            "to_label": Step(to_step).label,
            "on": on.isoformat(),
            "note": note,
            "counterpart": _counterpart(referral),
            "proposed_dates": [day.isoformat() for day in proposed_dates],
        },
        visibility="staff",
        on=on,
    )


def _counterpart(referral) -> str:
    if isinstance(referral, Introduction):
        return f"{referral.contact.name}, {referral.commissioner.name}"
    return referral.provider.name


@transaction.atomic
def referral_move(
    *,
    actor: User,
    referral: Introduction | SupportReferral,
    to_step: str,
    on: datetime.date | None = None,
    note: str = "",
    expected_step: str | None = None,
    proposed_dates: Sequence[datetime.date] = (),
) -> Event:
    """Move an introduction or a support referral one step, dated, with a note; an
    introduction moved to "Meeting agreed" carries the proposed meeting dates. Returns
    the move's event."""
    model = type(referral)
    locked = (
        model.objects.select_for_update(of=("self",)).select_related("venture").get(pk=referral.pk)
    )
    if isinstance(locked, Introduction):
        allowed = permissions.can_move_introduction(actor, locked, to_step)
    else:
        allowed = permissions.can_record_for_venture(actor, locked.venture)
    require(allowed, "You cannot record that step.")
    if expected_step is not None and expected_step != locked.step:
        raise StaleStep(
            f"It has moved to “{locked.get_step_display()}” since you loaded the page. "
            "Check the history, then try again."
        )
    note = note.strip()
    _check_step_move(locked, to_step, note)
    on = on or timezone.localdate()
    check_past_date(on, field="on", not_before=locked.step_on)
    proposed_dates = _check_proposed_dates(locked, to_step, proposed_dates, on)
    from_step = locked.step
    locked.step = to_step
    locked.step_on = on
    locked.full_clean()
    locked.save(update_fields=["step", "step_on", "updated_at"])
    event = _record_step(
        actor=actor,
        referral=locked,
        from_step=from_step,
        to_step=to_step,
        on=on,
        note=note,
        proposed_dates=proposed_dates,
    )
    referral.step, referral.step_on = locked.step, locked.step_on
    return event


@transaction.atomic
def introduction_make(
    *,
    actor: User,
    venture: Venture,
    contact: Contact,
    purpose: str,
    priority: Priority | None = None,
    made_on: datetime.date | None = None,
) -> Introduction:
    """Introduce ``venture`` to ``contact`` (made by ``actor``), starting at "requested"."""
    require(
        permissions.can_record_for_venture(actor, venture),
        "Only the venture's SEiR can make introductions.",
    )
    if not contact.is_active or not contact.commissioner.is_active:
        raise ValidationError({"contact": "That contact is no longer active."})
    if priority is not None and priority.commissioner_id != contact.commissioner_id:
        raise ValidationError(
            {"priority": "That priority belongs to another commissioner than the contact's."}
        )
    # One open introduction per venture and contact; locking the venture serialises two
    # submits of the same form, so a double click cannot make a second one.
    Venture.objects.select_for_update(of=("self",)).filter(pk=venture.pk).first()
    if Introduction.objects.filter(venture=venture, contact=contact, step__in=OPEN_STEPS).exists():
        raise ValidationError(
            {"contact": f"{venture} already has an open introduction to {contact.name}."}
        )
    made_on = made_on or timezone.localdate()
    check_past_date(made_on, field="made_on")
    introduction = Introduction(
        venture=venture,
        contact=contact,
        commissioner_id=contact.commissioner_id,
        priority=priority,
        made_by=actor,
        made_on=made_on,
        purpose=purpose.strip(),
        step=Step.REQUESTED,
        step_on=made_on,
    )
    introduction.full_clean()
    introduction.save()
    IntroductionStep.objects.create(
        introduction=introduction,
        from_step="",
        to_step=Step.REQUESTED,
        on=made_on,
        note=introduction.purpose,
        changed_by=actor,
        changed_at=timezone.now(),
    )
    event_record(
        actor=actor,
        kind="commissioning.introduction_made",
        subject=introduction,
        venture=venture,
        data={
            "contact": contact.name,
            "commissioner": contact.commissioner.name,
            "priority": priority.title if priority else "",
            "on": made_on.isoformat(),
            "purpose": introduction.purpose,
        },
        visibility="staff",
        on=made_on,
    )
    return introduction


@transaction.atomic
def support_referral_make(
    *,
    actor: User,
    venture: Venture,
    provider: SupportProvider,
    purpose: str,
    made_on: datetime.date | None = None,
) -> SupportReferral:
    require(
        permissions.can_record_for_venture(actor, venture),
        "Only the venture's SEiR can refer it for support.",
    )
    if not provider.is_active:
        raise ValidationError({"provider": "That provider is no longer active."})
    made_on = made_on or timezone.localdate()
    check_past_date(made_on, field="made_on")
    referral = SupportReferral(
        venture=venture,
        provider=provider,
        made_by=actor,
        made_on=made_on,
        purpose=purpose.strip(),
        step=Step.REQUESTED,
        step_on=made_on,
    )
    referral.full_clean()
    referral.save()
    event_record(
        actor=actor,
        kind="commissioning.referral_made",
        subject=referral,
        venture=venture,
        data={
            "provider": provider.name,
            "support_type": provider.support_type.name,
            "on": made_on.isoformat(),
            "purpose": referral.purpose,
        },
        visibility="staff",
        on=made_on,
    )
    return referral
