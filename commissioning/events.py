"""The event kinds commissioning records and who hears of them (registered from
CommissioningConfig.ready())."""

from __future__ import annotations

from events.registry import EventKind, notify, register_kinds

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
                template=f"commissioning/events/{code}.html",
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

    def introduction(event):
        if not hasattr(event, "_notify_introduction"):
            event._notify_introduction = (
                Introduction.objects.select_related("venture", "contact")
                .filter(pk=int(event.subject_id))
                .first()
                if str(event.subject_id).isdigit()
                else None
            )
        return event._notify_introduction

    def contact(event):
        found = introduction(event)
        return [found.contact.user_id] if found and found.contact.user_id else []

    def may_see(user, event):
        found = introduction(event)
        return found is not None and can_view_introduction(user, found)

    for code in ("commissioning.introduction_made", "commissioning.introduction_moved"):
        notify(
            code,
            audience=n.anyone_of(n.team, n.seir, contact),
            may_see=may_see,
            link=n.subject_page("commissioning:introduction"),
            email={"commissioner": "immediate", "seir": "immediate"},
        )
