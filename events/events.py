"""The event kinds of the events app itself: programme membership and account changes
(registered from EventsConfig.ready()). They are recorded here because accounts sits
below events: accounts announces membership and account changes through
``accounts.hooks`` inside its service's transaction, and this module records them with
``event_record``."""

from __future__ import annotations

from accounts import hooks

from .registry import EventKind, register_kinds
from .services import event_record

MEMBER_ADDED = "programme.member_added"
MEMBER_REMOVED = "programme.member_removed"
# Account changes: "account.global_admin_granted", "account.deactivated", ...
ACCOUNT_KINDS = {
    "global_admin_granted": "Global administration granted",
    "global_admin_revoked": "Global administration revoked",
    "superuser_granted": "Superuser status granted",
    "superuser_revoked": "Superuser status revoked",
    "deactivated": "Account deactivated",
    "reactivated": "Account reactivated",
}


def record_membership_change(*, membership, actor, added: bool) -> None:
    event_record(
        actor=actor,
        kind=MEMBER_ADDED if added else MEMBER_REMOVED,
        subject=membership.user,
        programme=membership.programme,
        data={
            "user": membership.user.display_name,
            "user_id": membership.user_id,
            "role": membership.role,
            "role_label": membership.get_role_display(),
        },
    )


def record_account_change(*, user, actor, change: str) -> None:
    event_record(
        actor=actor,
        kind=f"account.{change}",
        subject=user,
        data={"user": user.display_name, "user_id": user.pk},
        visibility="staff",
    )


def register() -> None:
    register_kinds(
        EventKind(MEMBER_ADDED, "Programme member added", "events/kinds/member_added.jinja"),
        EventKind(MEMBER_REMOVED, "Programme member removed", "events/kinds/member_removed.jinja"),
    )
    register_kinds(
        *(
            EventKind(f"account.{change}", label, "events/kinds/account_changed.jinja")
            for change, label in ACCOUNT_KINDS.items()
        )
    )
    hooks.on_membership_changed(record_membership_change)
    hooks.on_account_changed(record_account_change)
