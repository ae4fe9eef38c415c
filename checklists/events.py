"""The event kinds checklists record, each with its timeline template."""

from events.registry import EventKind, notify, register_kinds

_T = "checklists/events/{}.jinja"

EVENT_KINDS = (
    EventKind("checklist.created", "Due-diligence checklist given", _T.format("created")),
    EventKind("checklist.item_added", "Checklist item added", _T.format("item_added")),
    EventKind("checklist.item_updated", "Checklist item changed", _T.format("item_updated")),
    EventKind("checklist.item_removed", "Checklist item removed", _T.format("item_removed")),
    EventKind("checklist.evidence_added", "Checklist evidence added", _T.format("evidence_added")),
    EventKind("checklist.item_started", "Checklist item started", _T.format("item_started")),
    EventKind("checklist.item_submitted", "Checklist item submitted", _T.format("item_submitted")),
    EventKind(
        "checklist.item_withdrawn", "Checklist submission withdrawn", _T.format("item_withdrawn")
    ),
    EventKind("checklist.item_accepted", "Checklist item accepted", _T.format("item_accepted")),
    EventKind("checklist.item_returned", "Checklist item returned", _T.format("item_returned")),
    EventKind(
        "checklist.item_not_applicable",
        "Checklist item marked not applicable",
        _T.format("item_not_applicable"),
    ),
    EventKind(
        "checklist.item_reinstated", "Checklist item reinstated", _T.format("item_reinstated")
    ),
    EventKind("checklist.item_reopened", "Checklist item reopened", _T.format("item_reopened")),
    EventKind("checklist.item_expired", "Checklist item expired", _T.format("item_expired")),
)


def register() -> None:
    register_kinds(*EVENT_KINDS)
    _notifications()


def _notifications() -> None:
    """A submitted item tells the SEiR who reviews it; accepted or returned, the team."""
    from ventures import notify as n

    from .permissions import checklist_access

    def reads_item(user, venture, access):
        return checklist_access(user, venture, access).view

    item_page = n.subject_page("checklists:item")
    notify(
        "checklist.item_submitted",
        audience=n.seir,
        may_see=n.reads(reads_item),
        link=item_page,
        email={"seir": "immediate"},
    )
    for code in ("checklist.item_accepted", "checklist.item_returned"):
        notify(
            code,
            audience=n.team,
            may_see=n.reads(reads_item),
            link=item_page,
            email={"entrepreneur": "immediate"},
        )
