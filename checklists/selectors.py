"""Reads. Every function here applies the caller's permissions (404 otherwise)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from events.selectors import events_about
from seir.prepared import prepared
from ventures.models import Venture
from ventures.permissions import VentureAccess, venture_access

from .models import (
    DONE_STATUSES,
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    Evidence,
    ItemStatus,
)
from .permissions import ChecklistAccess, checklist_access
from .status import TRANSITIONS


@dataclass
class SectionProgress:
    name: str
    items: list[ChecklistItem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.status in DONE_STATUSES)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.overdue)


def checklist_of(*, venture: Venture) -> Checklist | None:
    found = _checklist(venture.pk)
    return found[0] if found else None


def checklist_sections(
    *, checklist: Checklist, today: datetime.date
) -> tuple[list[SectionProgress], list[ChecklistItem]]:
    """The checklist's live items grouped by section (in order), and its removed items.
    Two queries whatever the size: items with owners, and their current evidence."""
    items = _items(checklist.pk)
    evidence: dict[int, list[Evidence]] = {}
    for piece in _evidence([item.pk for item in items]) if items else []:
        evidence.setdefault(piece.item_id, []).append(piece)
    for item in items:  # as prefetch_related(to_attr="current_evidence") would set it
        item.current_evidence = evidence.get(item.pk, [])
        for piece in item.current_evidence:
            piece.item = item
    sections: dict[str, SectionProgress] = {}
    removed = []
    for item in items:
        item.overdue = item.is_overdue(today)
        if item.is_removed:
            removed.append(item)
            continue
        sections.setdefault(item.section, SectionProgress(name=item.section)).items.append(item)
    return list(sections.values()), removed


# The checklist page's reads, prepared (built and compiled once: seir/prepared.py).


@prepared
def _checklist(venture_id):
    return (
        Checklist.objects.filter(venture_id=venture_id)
        .select_related("template")
        .order_by("pk")[:1]
    )


@prepared
def _items(checklist_id):
    return (
        ChecklistItem.objects.filter(checklist_id=checklist_id)
        .select_related("owner")
        .order_by("section_order", "section", "order", "id")
    )


@prepared
def _evidence(item_ids):
    """The items' current evidence (not superseded), newest first, with its uploader."""
    return (
        Evidence.objects.filter(superseded_at__isnull=True, item_id__in=item_ids)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-id")
    )


def item_get(*, user: User, pk: int) -> tuple[ChecklistItem, VentureAccess, ChecklistAccess]:
    item = (
        ChecklistItem.objects.filter(pk=pk)
        .select_related(
            "checklist__venture__stage",
            "checklist__venture__programme",
            "checklist__venture__legal_form",
            "owner",
            "reviewed_by",
            "removed_by",
        )
        .first()
    )
    if item is None:
        raise Http404("No such checklist item.")
    venture = item.checklist.venture
    access = venture_access(user, venture)
    access_checklist = checklist_access(user, venture, access)
    if not access_checklist.view:
        raise Http404("No such checklist item.")
    return item, access, access_checklist


def item_evidence(*, item: ChecklistItem) -> QuerySet[Evidence]:
    """Every piece of evidence the item ever had, newest first (replaced ones included)."""
    return item.evidence.select_related("uploaded_by", "superseded_by").order_by(
        "-uploaded_at", "-id"
    )


# The kinds of the events a status move records: an item's history is these events.
MOVE_KINDS = frozenset(move.event for status in TRANSITIONS for move in TRANSITIONS.moves(status))


@dataclass(frozen=True)
class ItemChange:
    """One status change of an item, as its event keeps it: who, when, from, to, and the
    comment or reason (``actor`` None: the daily expiry run)."""

    at: datetime.datetime
    actor: User | None
    from_status: str
    to_status: str
    comment: str

    @property
    def from_label(self) -> str:
        return ItemStatus(self.from_status).label

    @property
    def to_label(self) -> str:
        return ItemStatus(self.to_status).label


def item_history(*, item: ChecklistItem) -> list[ItemChange]:
    """The item's status changes, newest first, from its events (one query: every move's
    event is about the item)."""
    events = events_about(subject=item, kinds=MOVE_KINDS).order_by("-at", "-id")
    return [
        ItemChange(
            at=event.at,
            actor=event.actor,
            from_status=event.data["from_status"],
            to_status=event.data["to_status"],
            comment=event.data.get("comment", ""),
        )
        for event in events
    ]


def evidence_get(*, user: User, pk: int) -> Evidence:
    """Evidence the user may open (the team and staff), else 404 — for managers,
    commissioners, strangers and anonymous visitors alike."""
    evidence = Evidence.objects.filter(pk=pk).select_related("item__checklist__venture").first()
    if evidence is None:
        raise Http404("No such file.")
    if not checklist_access(user, evidence.item.checklist.venture).see_evidence:
        raise Http404("No such file.")
    return evidence


def active_templates() -> QuerySet[ChecklistTemplate]:
    return ChecklistTemplate.objects.filter(is_active=True).order_by("name")


STATUS_BADGES = {
    ItemStatus.NOT_STARTED: "text-bg-light border",
    ItemStatus.IN_PROGRESS: "text-bg-info",
    ItemStatus.SUBMITTED: "text-bg-primary",
    ItemStatus.ACCEPTED: "text-bg-success",
    ItemStatus.RETURNED: "text-bg-warning",
    ItemStatus.NOT_APPLICABLE: "text-bg-secondary",
    ItemStatus.EXPIRED: "text-bg-danger",
}
