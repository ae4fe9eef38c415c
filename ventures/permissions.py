"""Who may do what with a venture: the one place the rules live.

Views, templates (through the context) and services all ask these functions, so no
template or view restates a rule that a service enforces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.permissions import (
    access_kept,
    programme_ids_read_by,
    reads_programme,
    runs_programme,
    user_is_global_admin,
    user_programme_ids,
)
from accounts.roles import Role
from seir.prepared import prepared

from .models import NoteVisibility, TeamMembership, Venture, VentureStatus

# Profile fields a team member may edit; staff may also edit the rest.
TEAM_EDITABLE_FIELDS = ("name", "summary", "need", "beneficiaries", "area", "legal_form")
STAFF_EDITABLE_FIELDS = (*TEAM_EDITABLE_FIELDS, "origin", "is_spinout", "lead", "seir")


@dataclass(frozen=True)
class VentureAccess:
    """What one user may do with one venture."""

    view: bool = False
    # Reads everything about the venture that is not staff-only: staff, the team and the
    # programme's managers. False for read-only grants registered by another app, which
    # stop at the profile. (Commissioners have none: they read an introduced venture's
    # profile on the introduction, in commissioning.)
    full_view: bool = False
    edit_profile: bool = False  # team members and staff
    manage: bool = False  # SEiR / administrator: stage, status, team, staff notes, reverts
    add_notes: bool = False

    @property
    def see_staff_notes(self) -> bool:
        return self.manage


NO_ACCESS = VentureAccess()


# Read-only visibility that other apps may grant. Each provider maps a user to a queryset
# of venture ids; ventures never imports the provider's app. (Commissioning registers
# none: a grant would open the venture's pages to commissioners, issue 16 item 7.)
_read_only_visibility: list[Callable[[User], QuerySet]] = []


def register_read_only_visibility(provider: Callable[[User], QuerySet]) -> None:
    """Register ``provider(user) -> queryset of venture ids`` the user may read."""
    if provider not in _read_only_visibility:
        _read_only_visibility.append(provider)


def extra_visibility_q(user: User) -> Q:
    q = Q(pk__in=[])
    for provider in _read_only_visibility:
        q |= Q(id__in=provider(user))
    return q


# Up to this many ids are written into the query as literals; more stay a subquery.
_LITERAL_IDS_MAX = 500


def _ids_or_subquery(queryset: QuerySet) -> list[int] | QuerySet:
    rows = list(queryset[: _LITERAL_IDS_MAX + 1])
    if len(rows) > _LITERAL_IDS_MAX:
        return queryset
    return [next(iter(row.values())) if isinstance(row, dict) else row for row in rows]


def visible_ventures_q(user: User) -> Q:
    """The ventures a (non-global) user may read, as a filter: their programmes where
    they hold a reading role, their teams' ventures and read-only grants.

    The ids are read first (small indexed queries, once per request: kept in the user's
    Access like the roles) and written into the filter as literals, so the planner walks
    the programme index or the page's sort index. Subqueries OR-ed together were evaluated
    for every row instead: 13 ms for a page of 25 of 10,000 ventures (issue 8)."""
    return access_kept(user, "ventures.visible_q", lambda: _visible_ventures_q(user))


def _visible_ventures_q(user: User) -> Q:
    literal = visible_ids(user)
    if literal is not None:
        return literal_visibility_q(*literal)
    # Too many to write out: each source stays a subquery.
    programme_ids = programme_ids_read_by(user)
    q = Q(programme_id__in=programme_ids) if programme_ids else Q(pk__in=[])
    q |= Q(pk__in=TeamMembership.objects.filter(user=user).values("venture_id"))
    return q | extra_visibility_q(user)


def visible_ids(user: User) -> tuple[list[int], list[int]] | None:
    """What ``visible_ventures_q`` allows a (non-global) user as literals: the ids of
    the programmes they read and of the other ventures they may read (their teams',
    read-only grants); kept for the request. None when the grants are too many to
    write out, or for a global administrator (who reads every venture)."""
    return access_kept(user, "ventures.visible_ids", lambda: _visible_ids(user))


def _visible_ids(user: User) -> tuple[list[int], list[int]] | None:
    if user_is_global_admin(user):
        return None
    if _read_only_visibility:
        # The team's ventures and every read-only grant in one round trip.
        granted = TeamMembership.objects.filter(user=user).order_by().values("venture_id")
        for provider in _read_only_visibility:
            granted = granted.union(provider(user).order_by(), all=True)
        ids = _ids_or_subquery(granted)
    else:  # the team's ventures alone: a prepared query (seir/prepared.py)
        ids = _team_venture_ids(user.pk, limit=_LITERAL_IDS_MAX + 1)
    if not isinstance(ids, list) or len(ids) > _LITERAL_IDS_MAX:
        return None
    return programme_ids_read_by(user), ids


@prepared
def _team_venture_ids(user_id, *, limit):
    return (
        TeamMembership.objects.filter(user_id=user_id)
        .order_by()
        .values_list("venture_id", flat=True)[:limit]
    )


def visible_programme_ids(user: User) -> list[int] | None:
    """The programmes whose ventures are all the ventures ``visible_ventures_q`` lets
    ``user`` read (their programmes, and no venture of theirs granted besides), or None
    when a venture of any programme may be among them (a global administrator, a team's
    or a read-only grant's venture). From ``visible_ids``: no query more."""
    literal = visible_ids(user)
    if literal is None or literal[1]:
        return None
    return list(literal[0])


def literal_visibility_q(programme_ids: list[int], venture_ids: list[int]) -> Q:
    """The filter of ``visible_ventures_q`` from ``visible_ids``' two lists."""
    q = Q(programme_id__in=programme_ids) if programme_ids else Q(pk__in=[])
    if venture_ids:
        q |= Q(pk__in=venture_ids)
    return q


def can_see_pipeline(user: User) -> bool:
    """The pipeline's own pages (board, venture list, its CSV), each seeing only the
    ventures visible_ventures_q allows: whoever reads a programme (its staff and PCT
    managers, global administrators), entrepreneurs and team members. Everyone else, a
    commissioner in particular, gets a 404 there: the pipeline's columns, stages and
    counts are its internals, not a commissioner's (issue 16, item 7)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if reads_programme(user) or user_programme_ids(user, {Role.ENTREPRENEUR}):
        return True
    return TeamMembership.objects.filter(user=user).exists()


def venture_access(user: User, venture: Venture) -> VentureAccess:
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    if runs_programme(user, venture.programme_id):  # global administrators too
        return VentureAccess(
            view=True, full_view=True, edit_profile=True, manage=True, add_notes=True
        )
    on_team = TeamMembership.objects.filter(venture=venture, user=user).exists()
    if on_team:
        return VentureAccess(view=True, full_view=True, edit_profile=True, add_notes=True)
    if reads_programme(user, venture.programme_id):  # here: its PCT managers
        return VentureAccess(view=True, full_view=True)
    if (
        _read_only_visibility
        and Venture.objects.filter(extra_visibility_q(user), pk=venture.pk).exists()
    ):
        return VentureAccess(view=True)
    return NO_ACCESS


# --- the rules, one function each --------------------------------------------------------
# Each takes the user and the venture; pass ``access`` when it is already known (a page
# that computed it once, or the board, which knows the programme-wide answer) to save
# the query.


def _access(user: User, venture: Venture, access: VentureAccess | None) -> VentureAccess:
    return access if access is not None else venture_access(user, venture)


def venture_is_movable(venture: Venture) -> bool:
    """Only active ventures move between stages (paused or closed ones are reactivated
    first)."""
    return venture.status == VentureStatus.ACTIVE


def can_move(user: User, venture: Venture, access: VentureAccess | None = None) -> bool:
    return _access(user, venture, access).manage and venture_is_movable(venture)


def can_change_status(user: User, venture: Venture, access: VentureAccess | None = None) -> bool:
    return _access(user, venture, access).manage


def editable_fields(
    user: User, venture: Venture, access: VentureAccess | None = None
) -> tuple[str, ...]:
    access = _access(user, venture, access)
    if access.manage:
        return STAFF_EDITABLE_FIELDS
    if access.edit_profile:
        return TEAM_EDITABLE_FIELDS
    return ()


def can_edit_profile(user: User, venture: Venture, access: VentureAccess | None = None) -> bool:
    return bool(editable_fields(user, venture, access))


def can_edit_field(
    user: User, venture: Venture, field: str, access: VentureAccess | None = None
) -> bool:
    return field in editable_fields(user, venture, access)


def can_add_note(
    user: User,
    venture: Venture,
    visibility: str = NoteVisibility.TEAM,
    access: VentureAccess | None = None,
) -> bool:
    access = _access(user, venture, access)
    if visibility == NoteVisibility.STAFF:
        return access.manage
    return access.add_notes


def can_see_staff_notes(user: User, venture: Venture, access: VentureAccess | None = None) -> bool:
    """SEiR-only notes and staff-only events: the programme's SEiR and administrators."""
    return _access(user, venture, access).manage


def can_manage_team(user: User, venture: Venture, access: VentureAccess | None = None) -> bool:
    return _access(user, venture, access).manage


def can_confirm_gate(user: User, venture: Venture, access: VentureAccess | None = None) -> bool:
    return _access(user, venture, access).manage


def can_revert(user: User, venture: Venture, access: VentureAccess | None = None) -> bool:
    return _access(user, venture, access).manage


def can_see_activity_log(user: User, venture: Venture, access: VentureAccess | None = None) -> bool:
    """The full event list of a venture (the audit tab): SEiR and administrators."""
    return _access(user, venture, access).manage


def can_see_activity(user: User, venture: Venture, access: VentureAccess | None = None) -> bool:
    """The timeline, notes and gate evidence: staff, the team and managers. A read-only
    grant from another app sees the profile only."""
    return _access(user, venture, access).full_view


@dataclass(frozen=True)
class VenturePerms:
    """Every rule answered once for a page, for templates: ``{% if perms.can_move %}``."""

    can_view: bool
    # The programme's SEiR or an administrator: may ask for any staff action, which the
    # specific rule (e.g. can_move: only active ventures) may still refuse with a reason.
    is_programme_staff: bool
    can_edit_profile: bool
    can_move: bool
    can_change_status: bool
    can_add_note: bool
    can_add_staff_note: bool
    can_see_staff_notes: bool
    can_manage_team: bool
    can_confirm_gate: bool
    can_revert: bool
    can_see_activity_log: bool
    can_see_activity: bool


def venture_perms(
    user: User, venture: Venture, access: VentureAccess | None = None
) -> VenturePerms:
    access = _access(user, venture, access)
    return VenturePerms(
        can_view=access.view,
        is_programme_staff=access.manage,
        can_edit_profile=can_edit_profile(user, venture, access),
        can_move=can_move(user, venture, access),
        can_change_status=can_change_status(user, venture, access),
        can_add_note=can_add_note(user, venture, NoteVisibility.TEAM, access),
        can_add_staff_note=can_add_note(user, venture, NoteVisibility.STAFF, access),
        can_see_staff_notes=can_see_staff_notes(user, venture, access),
        can_manage_team=can_manage_team(user, venture, access),
        can_confirm_gate=can_confirm_gate(user, venture, access),
        can_revert=can_revert(user, venture, access),
        can_see_activity_log=can_see_activity_log(user, venture, access),
        can_see_activity=can_see_activity(user, venture, access),
    )
