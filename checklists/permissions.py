"""Who may do what with a venture's due-diligence checklist: the one place the rules live.

- The venture's team works on it: add evidence, submit, withdraw a submission.
- The programme's SEiR and administrators manage and review it (and may act for the team).
- PCT managers of the programme read it: statuses, dates and sign-offs, but not the
  evidence itself (no file downloads, no link addresses) — evidence holds DBS checks,
  accounts and other personal or commercial data that oversight does not need.
- Everyone else, including commissioners who may read the venture's profile, gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from accounts.permissions import reads_programme
from ventures.models import Venture
from ventures.permissions import VentureAccess, venture_access

from .models import ChecklistItem, ItemStatus
from .status import EVIDENCE_STATUSES, By, Move


@dataclass(frozen=True)
class ChecklistAccess:
    view: bool = False
    work: bool = False  # add evidence, submit
    review: bool = False  # give a checklist, add/drop items, accept/return
    see_evidence: bool = False  # download files, follow links


NO_ACCESS = ChecklistAccess()


def checklist_access(
    user: User, venture: Venture, access: VentureAccess | None = None
) -> ChecklistAccess:
    access = access if access is not None else venture_access(user, venture)
    if not access.view:
        return NO_ACCESS
    if access.manage:
        return ChecklistAccess(view=True, work=True, review=True, see_evidence=True)
    if access.edit_profile:  # the venture's team
        return ChecklistAccess(view=True, work=True, see_evidence=True)
    if reads_programme(user, venture.programme_id):  # here: its PCT managers
        return ChecklistAccess(view=True)
    return NO_ACCESS  # read-only grants (commissioners) do not extend to due diligence


def tab_visible(user: User, venture: Venture, access: VentureAccess) -> bool:
    return checklist_access(user, venture, access).view


def evidence_refusal(item: ChecklistItem) -> str:
    """Why no evidence may be added to ``item`` now, or "" when it may: the one rule the
    service enforces and the item page follows (it offers the forms only when "")."""
    if item.is_removed:
        return "This item was removed from the checklist."
    if item.status not in EVIDENCE_STATUSES:
        label = ItemStatus(item.status).label.lower()
        return f"Evidence cannot be added while the item is {label}."
    return ""


def can_add_evidence(checklist_access_: ChecklistAccess, item: ChecklistItem) -> bool:
    return checklist_access_.work and not evidence_refusal(item)


def can_make(checklist_access_: ChecklistAccess, move: Move) -> bool:
    if move.by == By.TEAM:
        return checklist_access_.work
    if move.by == By.REVIEWER:
        return checklist_access_.review
    return False  # system moves (expiry) are never a person's
