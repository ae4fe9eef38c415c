"""Reads of a venture's commissioning records: its focus, introductions, contracts and
support referrals, and one contract or referral the caller may open."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import CharField, Value
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from events.selectors import events_about
from seir.prepared import prepared
from ventures.models import Venture

from .. import permissions
from ..models import (
    Contract,
    ContractStatus,
    Introduction,
    Step,
    SupportReferral,
    VentureFocus,
)
from ..reference import focus_reference


def venture_focus(*, venture: Venture) -> VentureFocus | None:
    """The venture's focus (None until one is set) with ``domain_list`` and
    ``area_list``, its domains and service areas in their order: two prepared queries,
    the rows themselves from the reference data (``commissioning.reference``)."""
    found = _focus(venture.pk)
    if not found:
        return None
    focus = found[0]
    chosen = {(kind, pk) for kind, pk in _focus_choices(focus.pk)}
    reference = focus_reference()
    focus.domain_list = [d for d in reference.domains if ("d", d.pk) in chosen]
    focus.area_list = [a for a in reference.service_areas if ("a", a.pk) in chosen]
    return focus


@prepared
def _focus(venture_id):
    return VentureFocus.objects.filter(venture_id=venture_id)


@prepared
def _focus_choices(focus_id):
    """("d", domain id) and ("a", service area id) rows of one focus: one query."""
    domains = VentureFocus.domains.through.objects.filter(venturefocus_id=focus_id)
    areas = VentureFocus.service_areas.through.objects.filter(venturefocus_id=focus_id)
    return (
        domains.annotate(kind=Value("d", output_field=CharField()))
        .values_list("kind", "outcomedomain_id")
        .order_by()
        .union(
            areas.annotate(kind=Value("a", output_field=CharField()))
            .values_list("kind", "servicearea_id")
            .order_by(),
            all=True,
        )
    )


def venture_introductions(*, venture: Venture) -> list[Introduction]:
    return _introductions(venture.pk)


def venture_contracts(*, venture: Venture) -> list[Contract]:
    return _contracts(venture.pk)


def venture_referrals(*, venture: Venture) -> list[SupportReferral]:
    return _referrals(venture.pk)


# The commissioning tab's reads, prepared (built and compiled once: seir/prepared.py).


@prepared
def _introductions(venture_id):
    return (
        Introduction.objects.filter(venture_id=venture_id)
        .select_related("contact", "commissioner", "priority", "made_by")
        .order_by("-made_on", "-id")
    )


@prepared
def _contracts(venture_id):
    return (
        Contract.objects.filter(venture_id=venture_id)
        .select_related("commissioner")
        .order_by("-start_date", "-id")
    )


@prepared
def _referrals(venture_id):
    return (
        SupportReferral.objects.filter(venture_id=venture_id)
        .select_related("provider", "provider__support_type", "made_by")
        .order_by("-made_on", "-id")
    )


def contract_get(*, user: User, pk: int) -> Contract:
    contract = (
        Contract.objects.select_related(
            "venture", "venture__programme", "commissioner", "introduction"
        )
        .filter(pk=pk)
        .first()
    )
    if contract is None or not permissions.sees_venture_records(user, contract.venture):
        raise Http404("No such contract.")
    return contract


CONTRACT_RECORDED = "commissioning.contract_recorded"
CONTRACT_STATUS_CHANGED = "commissioning.contract_status_changed"


@dataclass(frozen=True)
class ContractChange:
    """One status of a contract's history, as its event keeps it: who, when, the status
    reached and the note."""

    at: datetime.datetime
    actor: User | None
    to_status: str
    note: str

    @property
    def to_label(self) -> str:
        return ContractStatus(self.to_status).label


def contract_history(*, contract: Contract) -> list[ContractChange]:
    """The status the contract was recorded at, then each change, oldest first: its
    events (one query; both kinds are about the contract)."""
    events = events_about(
        subject=contract, kinds=(CONTRACT_RECORDED, CONTRACT_STATUS_CHANGED)
    ).order_by("at", "id")
    return [
        ContractChange(
            at=event.at,
            actor=event.actor,
            to_status=event.data["status" if event.kind == CONTRACT_RECORDED else "to"],
            note=event.data.get("note", ""),
        )
        for event in events
    ]


REFERRAL_MADE = "commissioning.referral_made"
REFERRAL_MOVED = "commissioning.referral_moved"


@dataclass(frozen=True)
class ReferralChange:
    """One step of a support referral's history, as its event keeps it: the step, the
    day it happened, who recorded it and the note (the purpose, for the first)."""

    on: datetime.date
    actor: User | None
    to_step: str
    note: str

    @property
    def to_label(self) -> str:
        return Step(self.to_step).label


def referral_history(*, referral: SupportReferral) -> list[ReferralChange]:
    """The referral's steps in the order they were recorded: its events (one query; both
    kinds are about the referral)."""
    events = events_about(subject=referral, kinds=(REFERRAL_MADE, REFERRAL_MOVED)).order_by(
        "recorded_at", "id"
    )
    return [
        ReferralChange(
            # An event known by its day happens at a moment on that day.
            on=timezone.localdate(event.at),
            actor=event.actor,
            to_step=Step.REQUESTED if event.kind == REFERRAL_MADE else event.data["to"],
            note=event.data["purpose" if event.kind == REFERRAL_MADE else "note"],
        )
        for event in events
    ]


def referral_get(*, user: User, pk: int) -> SupportReferral:
    referral = (
        SupportReferral.objects.select_related(
            "venture", "provider", "provider__support_type", "made_by"
        )
        .filter(pk=pk)
        .first()
    )
    if referral is None or not permissions.can_view_referral(user, referral):
        raise Http404("No such referral.")
    return referral
