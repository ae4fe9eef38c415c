"""A venture's activity timeline, merged from registered sources.

Each source returns entries for one venture; later apps (scouting meetings,
commissioning introductions, funding) register their own from AppConfig.ready(), so
ventures never imports them. One query per source keeps the page's query count flat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .models import (
    FieldChange,
    GateConfirmation,
    NoteVisibility,
    StageChange,
    StatusChange,
    Venture,
    VentureNote,
)


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    kind: str  # stable code: "stage", "status", "edit", "note", ...
    actor: str
    title: str
    detail: str = ""
    badge: str = ""


# source(venture, access, limit) -> list[TimelineEntry]
Source = Callable[..., list[TimelineEntry]]
_sources: dict[str, Source] = {}


def register_source(code: str, source: Source) -> None:
    _sources[code] = source


def venture_timeline(venture: Venture, access, limit: int = 100) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for source in _sources.values():
        entries.extend(source(venture, access, limit))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _name(user) -> str:
    return user.display_name if user else "Someone (account removed)"


def _stage_changes(venture, access, limit):
    rows = (
        StageChange.objects.filter(venture=venture)
        .select_related("from_stage", "to_stage", "changed_by")
        .order_by("-changed_at", "-id")[:limit]
    )
    entries = []
    for row in rows:
        if row.from_stage is None:
            title = f"Added to the pipeline at {row.to_stage}"
        else:
            title = f"Moved from {row.from_stage} to {row.to_stage}"
        detail = row.note
        if row.override_reason:
            detail = (detail + "\n" if detail else "") + (
                f"Gate overridden ({'; '.join(row.unmet_conditions)}). Reason: {row.override_reason}"
            )
        entries.append(
            TimelineEntry(
                when=row.changed_at,
                kind="stage",
                actor=_name(row.changed_by),
                title=title,
                detail=detail,
                badge="Override" if row.override_reason else "",
            )
        )
    return entries


def _status_changes(venture, access, limit):
    rows = StatusChange.objects.filter(venture=venture).select_related("changed_by")[:limit]
    return [
        TimelineEntry(
            when=row.changed_at,
            kind="status",
            actor=_name(row.changed_by),
            title=f"Status: {row.get_from_status_display()} → {row.get_to_status_display()}",
            detail=row.reason,
        )
        for row in rows
    ]


def _field_changes(venture, access, limit):
    rows = FieldChange.objects.filter(venture=venture).select_related("changed_by")[:limit]
    entries = []
    for row in rows:
        label = Venture._meta.get_field(row.field).verbose_name.capitalize()
        entries.append(
            TimelineEntry(
                when=row.changed_at,
                kind="edit",
                actor=_name(row.changed_by),
                title=f"{'Reverted' if row.reverts_id else 'Changed'} {label}",
                detail=f"{row.old_display or '(empty)'} → {row.new_display or '(empty)'}",
            )
        )
    return entries


def _notes(venture, access, limit):
    rows = VentureNote.objects.filter(venture=venture).select_related("author")
    if not access.see_staff_notes:
        rows = rows.filter(visibility=NoteVisibility.TEAM)
    return [
        TimelineEntry(
            when=row.created_at,
            kind="note",
            actor=_name(row.author),
            title="Note",
            detail=row.body,
            badge="SEiR only" if row.visibility == NoteVisibility.STAFF else "",
        )
        for row in rows[:limit]
    ]


def _gate_confirmations(venture, access, limit):
    rows = (
        GateConfirmation.objects.filter(venture=venture)
        .select_related("condition", "confirmed_by")
        .order_by("-confirmed_at")[:limit]
    )
    return [
        TimelineEntry(
            when=row.confirmed_at,
            kind="gate",
            actor=_name(row.confirmed_by),
            title=f"Confirmed: {row.condition.label}",
            detail=row.evidence,
        )
        for row in rows
    ]


register_source("stage_changes", _stage_changes)
register_source("gate_confirmations", _gate_confirmations)
register_source("status_changes", _status_changes)
register_source("field_changes", _field_changes)
register_source("notes", _notes)
