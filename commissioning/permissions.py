"""Who may do what in commissioning: the one place the rules live, built on
ventures.permissions. Views, templates (through the context) and services ask these."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.permissions import (
    access_kept,
    programme_ids_read_by,
    reads_programme,
    runs_programme,
    user_is_global_admin,
    user_roles,
)
from accounts.roles import Role
from ventures.models import Venture
from ventures.permissions import venture_access

from .models import (
    CLOSED_STEPS,
    COMMISSIONER,
    STEP_TRANSITIONS,
    Commissioner,
    Introduction,
    SupportReferral,
)


def commissioner_ids_for(user: User) -> QuerySet:
    """Ids of the organisations ``user`` acts for: as a member, or as the user of an
    active contact. A contact made inactive (in the admin) no longer lets its person in,
    and an inactive organisation none of its people: it is no longer introduced to (the
    forms do not offer it, ``introduction_make`` refuses it), so no one answers for it;
    the programme's staff still see and move its introductions."""
    if not user.is_authenticated or not user.is_active:
        return Commissioner.objects.none().values("id")
    return (
        Commissioner.objects.filter(is_active=True)
        .filter(Q(members=user) | Q(contacts__user=user, contacts__is_active=True))
        .values("id")
        .distinct()
    )


def _cached_commissioner_ids(user: User) -> set[int]:
    """``commissioner_ids_for``, read once per request (kept in the user's Access)."""
    return access_kept(
        user,
        "commissioning.commissioner_ids",
        lambda: set(commissioner_ids_for(user).values_list("id", flat=True)),
    )


def is_commissioner_user(user: User) -> bool:
    """Acts for a commissioner organisation, or holds the Commissioner role (whose
    introductions list is then empty until an administrator links them to one)."""
    if not user.is_authenticated or not user.is_active:
        return False
    # The role first: it is read from the request's cached memberships, the ids need a query.
    return Role.COMMISSIONER in user_roles(user) or bool(_cached_commissioner_ids(user))


def can_use_commissioning(user: User) -> bool:
    """Programme staff and managers: the commissioner directory, pipeline and ledger."""
    return reads_programme(user)


def can_list_introductions(user: User) -> bool:
    """The introductions pipeline and its CSV (each lists only what the user may see):
    programme staff and managers, and whoever acts for a commissioner, with or without
    the Commissioner role. The navigation offers the page to exactly these people."""
    return can_use_commissioning(user) or is_commissioner_user(user)


def can_manage_commissioners(user: User) -> bool:
    """SEiRs and administrators keep the directory of commissioners and priorities."""
    return runs_programme(user)


def can_unlink_commissioner_account(user: User, programme) -> bool:
    """The programme's SEiRs and administrators end a commissioner's access to it (with
    the Commissioner role they take away): their account leaves the organisations."""
    return runs_programme(user, programme.pk)


# Every row, as a filter that survives being OR-ed: ``Q() | q`` is ``q`` (an empty Q
# vanishes), which turned a global administrator's "everything" into "only their team's"
# where a caller widened it (issue 21: their introductions answered 404).
EVERY_ROW = ~Q(pk__in=[])


def introductions_visible_q(user: User) -> Q:
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user_is_global_admin(user):
        return EVERY_ROW
    # Literal ids read once per request: OR-ed subqueries were evaluated for every row.
    q = Q(venture__programme_id__in=programme_ids_read_by(user))
    commissioners = sorted(_cached_commissioner_ids(user))
    return q | Q(commissioner_id__in=commissioners) if commissioners else q


def is_addressed_to(user: User, introduction: Introduction) -> bool:
    return introduction.commissioner_id in _cached_commissioner_ids(user)


def sees_venture_records(user: User, venture: Venture) -> bool:
    """The venture's team, its programme's staff and managers see its commissioning
    records; a commissioner who sees the venture only through an introduction does not."""
    access = venture_access(user, venture)
    if access.edit_profile:
        return True
    return access.view and reads_programme(user, venture.programme_id)


def can_view_introduction(user: User, introduction: Introduction) -> bool:
    return is_addressed_to(user, introduction) or sees_venture_records(user, introduction.venture)


def can_read_introduced_profile(user: User, introduction: Introduction) -> bool:
    """The venture's profile (summary and need) shown on the introduction to the addressed
    commissioner while it is open or succeeded; once declined or closed without an answer
    they keep the introduction in their list, not the venture's profile.

    This is a commissioner's only sight of a venture: they get no read access to the
    venture's own pages (no read-only grant with ventures), so its board, list, CSV,
    gate conditions, team, stage path and history are never theirs (issue 16, item 7)."""
    if sees_venture_records(user, introduction.venture):
        return True
    return is_addressed_to(user, introduction) and introduction.step not in CLOSED_STEPS


def commissioner_answers(
    user: User, introduction: Introduction, step: str | None = None
) -> list[str]:
    """The steps the addressed commissioner may move the introduction to from ``step`` (its
    current step unless given), in lifecycle order: what their response form offers and
    what the service accepts from them. Nothing for anyone it is not addressed to."""
    if not is_addressed_to(user, introduction):
        return []
    step = introduction.step if step is None else step
    return list(STEP_TRANSITIONS.targets(step, by=COMMISSIONER))


def can_move_introduction(user: User, introduction: Introduction, to_step: str) -> bool:
    """Staff make any allowed move; the addressed commissioner only their answers."""
    if venture_access(user, introduction.venture).manage:
        return True
    return to_step in commissioner_answers(user, introduction)


def can_record_for_venture(user: User, venture: Venture) -> bool:
    """Introductions, referrals, contracts and focus are recorded by the venture's SEiR."""
    return venture_access(user, venture).manage


def can_edit_focus(user: User, venture: Venture) -> bool:
    """What the venture works on (for matching) is kept by its SEiR and its team."""
    return venture_access(user, venture).edit_profile


def can_view_referral(user: User, referral: SupportReferral) -> bool:
    return sees_venture_records(user, referral.venture)
