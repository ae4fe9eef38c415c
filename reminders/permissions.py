"""Who may still be sent a reminder: asked when its email goes, not only when it was due.

A reminder's email waits in the outbox between the run that recorded it and the worker
that sends it (minutes, or hours while the mail server is down). Someone taken off the
venture's team, whose role was removed or whose account was closed meanwhile is sent
nothing about it: the venture's name and what is due there are no longer theirs to read.
The rules are the pages' own (``ventures.permissions.venture_access``,
``accounts.permissions``), read afresh from the database for each email.
"""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import User
from accounts.permissions import reads_programme, runs_programme
from ventures.models import Venture
from ventures.permissions import VentureAccess, venture_access

from .models import Reminder, ReminderKind

# About a venture and sent to its SEiRs only (their pages are the staff's): still theirs
# while they run its programme, not once they only read it.
_STAFF_ONLY = frozenset({ReminderKind.INTRODUCTION_WAITING, ReminderKind.QUIET_VENTURE})
# About the programme, no venture: its follow-ups, for those who run it.
_PROGRAMME_STAFF = frozenset({ReminderKind.FOLLOWUP_DUE, ReminderKind.FOLLOWUP_OVERDUE})


def reminders_still_for(user: User, reminders: Iterable[Reminder]) -> list[Reminder]:
    """Those of ``reminders`` (``user``'s) that ``user`` may still be told of: a venture's
    while they may read the venture in full (its staff-only ones while they run it), a
    follow-up while they run its programme, the weekly digest while they read it. None
    for a closed account, nor for a row that does not say what it is about (written
    before reminders kept it). The ventures are read in one query, each one's access
    once."""
    reminders = list(reminders)
    if not user.is_active:
        return []
    ventures = Venture.objects.in_bulk({r.venture_id for r in reminders if r.venture_id})
    access: dict[int, VentureAccess] = {}

    def allowed(reminder: Reminder) -> bool:
        if reminder.kind == ReminderKind.DIGEST:
            return reminder.programme_id is not None and reads_programme(
                user, reminder.programme_id
            )
        if reminder.kind in _PROGRAMME_STAFF:
            return reminder.programme_id is not None and runs_programme(user, reminder.programme_id)
        venture = ventures.get(reminder.venture_id)
        if venture is None:
            return False
        if venture.pk not in access:
            access[venture.pk] = venture_access(user, venture)
        held = access[venture.pk]
        return held.manage if reminder.kind in _STAFF_ONLY else held.full_view

    return [reminder for reminder in reminders if allowed(reminder)]
