"""Who is told of a venture's events: the audiences and checks notification rules use.

Each app's notification rules (``events.registry.notify``) are built from these, so
"the venture's team", "its SEiR" and "may read this venture's event" are written once.
The fan-out (``inbox.notifications``) runs them in the worker, one event at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import users_running, users_with_role
from events.models import Event, EventVisibility

from .models import TeamMembership, Venture
from .permissions import VentureAccess, venture_access

Audience = Callable[[Event], Iterable[int]]


def event_venture(event: Event) -> Venture | None:
    """The event's venture (read once per event, kept on it), or None if it is gone."""
    if not hasattr(event, "_notify_venture"):
        event._notify_venture = (
            Venture.objects.filter(pk=event.venture_id).first() if event.venture_id else None
        )
    return event._notify_venture


def preload_ventures(events: list[Event]) -> None:
    """``event_venture`` for many events in one query, and one ``venture_access`` a person
    and venture among them (the inbox page's rows, a digest): registered with
    ``events.registry.notify_preloader``."""
    wanted = {e.venture_id for e in events if e.venture_id and not hasattr(e, "_notify_venture")}
    found = Venture.objects.in_bulk(wanted) if wanted else {}
    access: dict[tuple[int, int], VentureAccess] = {}
    for event in events:
        if not hasattr(event, "_notify_venture"):
            event._notify_venture = found.get(event.venture_id) if event.venture_id else None
        event._notify_access = access


def _venture_access(user: User, venture: Venture, event: Event) -> VentureAccess:
    memo = getattr(event, "_notify_access", None)
    if memo is None:
        return venture_access(user, venture)
    key = (user.pk, venture.pk)
    if key not in memo:
        memo[key] = venture_access(user, venture)
    return memo[key]


def team(event: Event) -> list[int]:
    """The venture's team members."""
    return list(
        TeamMembership.objects.filter(venture_id=event.venture_id).values_list("user_id", flat=True)
    )


def seir(event: Event) -> list[int]:
    """The venture's owning SEiR while they still run its programme; when it has none,
    or theirs no longer can (``Venture.seir`` stays set when the role is removed or the
    account deactivated), whoever runs the programme (its SEiRs and administrators), so
    nothing goes unheard (as ``reminders.collect`` does)."""
    venture = event_venture(event)
    if venture is None:
        return []
    running = sorted(users_running(programmes=[venture.programme_id]).values_list("pk", flat=True))
    if venture.seir_id in running:
        return [venture.seir_id]
    return running


def managers(event: Event) -> list[int]:
    """The programme's PCT managers."""
    if not event.programme_id:
        return []
    return list(
        users_with_role(programmes=[event.programme_id], role=Role.MANAGER).values_list(
            "pk", flat=True
        )
    )


def anyone_of(*audiences: Audience) -> Audience:
    def audience(event: Event) -> list[int]:
        ids: list[int] = []
        for each in audiences:
            ids.extend(pk for pk in each(event) if pk not in ids)
        return ids

    return audience


def reads_event(user: User, event: Event, *, also=None) -> bool:
    """Whether ``user`` may see ``event`` in its venture's timeline: the venture is open to
    them in full, a staff-only event only to its staff, and the kind's own audience
    (plans: who may read the plan) agrees. ``also(user, venture, access)`` narrows it
    further (the page the notification links to)."""
    venture = event_venture(event)
    if venture is None:
        return False
    access: VentureAccess = _venture_access(user, venture, event)
    if not access.full_view:
        return False
    if event.visibility == EventVisibility.STAFF and not access.manage:
        return False
    kind = event.kind_info
    if kind is not None and kind.audience is not None and not kind.audience(user, venture, access):
        return False
    return also is None or bool(also(user, venture, access))


def reads(also=None) -> Callable[[User, Event], bool]:
    """A rule's ``may_see``: ``reads_event`` with ``also``."""
    return lambda user, event: reads_event(user, event, also=also)


def venture_page(event: Event) -> str:
    return reverse("ventures:detail", args=[event.venture_id])


def subject_page(url_name: str) -> Callable[[Event], str]:
    """A rule's ``link``: the page of the event's subject (``url_name`` takes its pk)."""

    def link(event: Event) -> str:
        if event.subject_id and str(event.subject_id).isdigit():
            return reverse(url_name, args=[int(event.subject_id)])
        return venture_page(event)

    return link


def venture_tab(url_name: str) -> Callable[[Event], str]:
    """A rule's ``link``: a tab of the event's venture (``url_name`` takes the venture)."""
    return lambda event: reverse(url_name, args=[event.venture_id])
