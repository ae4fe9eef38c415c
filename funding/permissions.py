"""Who may do what with funding applications. Built on the venture's access rules, so a
person who loses access to a venture loses it here too, at once."""

from __future__ import annotations

from accounts.models import User
from ventures.models import Venture
from ventures.permissions import venture_access

from .models import APPLICATION_TRANSITIONS, EDITABLE_STATUSES, FundingApplication


def can_view_funding(user: User, venture: Venture) -> bool:
    """Staff, the team and managers; not a read-only grant (a commissioner)."""
    return venture_access(user, venture).full_view


def can_add_application(user: User, venture: Venture) -> bool:
    """The venture's team and its programme's SEiR; managers only read."""
    return venture_access(user, venture).edit_profile


def can_edit_application(user: User, application: FundingApplication) -> bool:
    return venture_access(user, application.venture).edit_profile


def can_edit_terms(user: User, application: FundingApplication) -> bool:
    """Fund, amount and purpose are fixed once the application has gone to the funder."""
    return can_edit_application(user, application) and application.status in EDITABLE_STATUSES


def next_statuses(user: User, application: FundingApplication) -> tuple[str, ...]:
    """The statuses ``user`` may move the application to (none for read-only users)."""
    if not can_edit_application(user, application):
        return ()
    return APPLICATION_TRANSITIONS.targets(application.status)


def can_read_documents(user: User, venture: Venture) -> bool:
    """Bids and budgets stay with the venture's team and its SEiR (managers see the
    figures, not the files)."""
    return venture_access(user, venture).edit_profile
