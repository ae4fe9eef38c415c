"""Who may do what with a venture's business plan: the one place the rules live.

Built on ``ventures.permissions.venture_access``:
- the venture's team and the programme's SEiR / administrators write the draft and submit;
- only the SEiR / administrators comment on versions, mark feedback given and approve;
- the team and the SEiR / administrators reply to feedback they can see (a PCT manager
  reads the replies, never writes one);
- the programme's PCT managers read submitted versions (never the working draft);
- everyone else, commissioners and read-only grants included, gets nothing (404).
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from accounts.permissions import reads_programme
from ventures.models import Venture
from ventures.permissions import venture_access

from .models import PlanStatus


@dataclass(frozen=True)
class PlanAccess:
    read_versions: bool = False
    read_draft: bool = False
    write: bool = False  # edit draft sections, submit a version
    review: bool = False  # comment, mark feedback given, approve


NO_PLAN_ACCESS = PlanAccess()


def plan_access(user: User, venture: Venture, access=None) -> PlanAccess:
    """What ``user`` may do with ``venture``'s plan (``access``: their VentureAccess, if
    already known)."""
    access = access if access is not None else venture_access(user, venture)
    if not access.view:
        return NO_PLAN_ACCESS
    if access.manage:
        return PlanAccess(read_versions=True, read_draft=True, write=True, review=True)
    if access.edit_profile:  # on the venture's team
        return PlanAccess(read_versions=True, read_draft=True, write=True)
    if reads_programme(user, venture.programme_id):  # here: its PCT managers
        return PlanAccess(read_versions=True)
    return NO_PLAN_ACCESS


def can_read_plan(user: User, venture: Venture) -> bool:
    return plan_access(user, venture).read_versions


def can_read_draft(user: User, venture: Venture) -> bool:
    return plan_access(user, venture).read_draft


def can_write_plan(user: User, venture: Venture) -> bool:
    return plan_access(user, venture).write


def can_review_plan(user: User, venture: Venture) -> bool:
    return plan_access(user, venture).review


def can_reply_to_feedback(user: User, venture: Venture, access=None) -> bool:
    """The venture's team and the programme's staff answer the SEiR's feedback."""
    return plan_access(user, venture, access).write


def can_read_feedback(rights: PlanAccess, review_status: str) -> bool:
    """The SEiR writes feedback section by section and releases it all at once by marking
    the version "feedback given" (or approving it); until then only reviewers see it."""
    return rights.review or (rights.read_versions and review_status != PlanStatus.SUBMITTED)
