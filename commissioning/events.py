"""The event kinds commissioning records and who hears of them (registered from
CommissioningConfig.ready())."""

from __future__ import annotations

from events.registry import EventKind, notify, notify_preloader, register_kinds

EVENT_KINDS = [
    ("introduction_made", "Introduction made"),
    ("introduction_moved", "Introduction moved on"),
    ("referral_made", "Support referral made"),
    ("referral_moved", "Support referral moved on"),
    ("contract_recorded", "Contract recorded"),
    ("contract_status_changed", "Contract status changed"),
    ("focus_updated", "Commissioning focus changed"),
    ("commissioner_added", "Commissioner added"),
    ("contact_added", "Commissioner contact added"),
    ("contact_account_linked", "Commissioner contact linked to an account"),
    ("account_unlinked", "Commissioner's account unlinked"),
    ("priority_added", "Commissioning priority added"),
    ("window_added", "Procurement window added"),
]


def register() -> None:
    register_kinds(
        *(
            EventKind(
                code=f"commissioning.{code}",
                label=label,
                template=f"commissioning/events/{code}.jinja",
            )
            for code, label in EVENT_KINDS
        )
    )
    _notifications()


def _notifications() -> None:
    """An introduction made or moved on (a step, or the commissioner's answer) tells the
    venture's team, its SEiR and the commissioner's contact, each only if the
    introduction's page opens for them."""
    from ventures import notify as n

    from .models import Introduction
    from .permissions import can_view_introduction

    kinds = ("commissioning.introduction_made", "commissioning.introduction_moved")

    def introduction(event):
        if not hasattr(event, "_notify_introduction"):
            preload([event])
        return event._notify_introduction

    def preload(events):
        """The introductions of many events in one query (an inbox page, a digest)."""
        wanted = [e for e in events if e.kind in kinds and not hasattr(e, "_notify_introduction")]
        ids = {int(e.subject_id) for e in wanted if str(e.subject_id).isdigit()}
        found = (
            Introduction.objects.select_related("venture", "contact").in_bulk(ids) if ids else {}
        )
        for event in wanted:
            digits = str(event.subject_id).isdigit()
            event._notify_introduction = found.get(int(event.subject_id)) if digits else None

    notify_preloader(preload)

    def contact(event):
        found = introduction(event)
        return [found.contact.user_id] if found and found.contact.user_id else []

    def may_see(user, event):
        found = introduction(event)
        return found is not None and can_view_introduction(user, found)

    for code in kinds:
        notify(
            code,
            audience=n.anyone_of(n.team, n.seir, contact),
            may_see=may_see,
            link=n.subject_page("commissioning:introduction"),
            email={"commissioner": "immediate", "seir": "immediate"},
        )
