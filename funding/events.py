"""The event kinds funding records and who hears of them (registered from
FundingConfig.ready())."""

from __future__ import annotations

from events.registry import EventKind, notify, register_kinds
from ventures import notify as n

from .permissions import can_view_funding

KINDS = (
    EventKind(
        "funding.application_added",
        "Funding application added",
        "funding/events/application_added.jinja",
    ),
    EventKind(
        "funding.application_edited",
        "Funding application edited",
        "funding/events/application_edited.jinja",
    ),
    EventKind(
        "funding.document_added",
        "Funding document added",
        "funding/events/document_added.jinja",
    ),
    EventKind(
        "funding.status_changed",
        "Funding application status changed",
        "funding/events/status_changed.jinja",
    ),
)


def register() -> None:
    register_kinds(*KINDS)
    # A funding decision (a status change) tells the team and the SEiR.
    notify(
        "funding.status_changed",
        audience=n.anyone_of(n.team, n.seir),
        may_see=n.reads(lambda user, venture, access: can_view_funding(user, venture)),
        link=n.venture_tab("funding:venture"),
        email={"entrepreneur": "immediate", "seir": "immediate"},
    )
