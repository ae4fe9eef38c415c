"""Who may do what with a venture's outcomes, built on the venture's access rules."""

from accounts.models import User
from ventures.models import Venture
from ventures.permissions import venture_access


def can_view_outcomes(user: User, venture: Venture) -> bool:
    return venture_access(user, venture).view


def can_record_outcomes(user: User, venture: Venture) -> bool:
    """The venture's team and its SEiR enter indicators and measurements; managers read."""
    return venture_access(user, venture).edit_profile
