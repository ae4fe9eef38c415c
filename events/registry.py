"""Event kinds and handlers: the registries every app extends from AppConfig.ready().

A kind has a stable code (``"venture.moved"``), a label for filters, the template that
shows one event in a timeline or feed, and a default visibility. A handler is a callable
``handler(event)`` subscribed to kinds (or to every kind with ``"*"``); ``event_record``
schedules it with ``transaction.on_commit``, so it never runs for a rolled-back change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from .models import EventVisibility

ALL_KINDS = "*"
DEFAULT_TEMPLATE = "events/kinds/default.jinja"


@dataclass(frozen=True)
class EventKind:
    code: str
    label: str
    template: str = DEFAULT_TEMPLATE
    visibility: str = EventVisibility.TEAM
    # Optional narrower audience in a venture's timeline: ``audience(user, venture,
    # access) -> bool``; events of this kind are left out for those it refuses (e.g.
    # business plan events for people who may not read the plan).
    audience: Callable[..., bool] | None = None
    # The same in a programme's activity feed and its CSV, which span every venture:
    # ``feed_audience(user, programme) -> bool`` (e.g. draft saves for a PCT manager, who
    # may read submitted plans but not drafts).
    feed_audience: Callable[..., bool] | None = None


_kinds: dict[str, EventKind] = {}
_handlers: dict[str, list[Callable]] = defaultdict(list)


def register_kind(kind: EventKind) -> EventKind:
    """Register (or re-register, e.g. on autoreload) an event kind."""
    if not kind.code or "." not in kind.code:
        raise ValueError(f"Event kind codes look like 'app_or_object.verb', not {kind.code!r}.")
    _kinds[kind.code] = kind
    return kind


def register_kinds(*kinds: EventKind) -> None:
    for kind in kinds:
        register_kind(kind)


def get_kind(code: str) -> EventKind | None:
    return _kinds.get(code)


def kinds() -> list[EventKind]:
    return sorted(_kinds.values(), key=lambda k: k.label)


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in kinds()]


def subscribe(*codes: str) -> Callable[[Callable], Callable]:
    """Decorator: run ``handler(event)`` after commit for events of ``codes`` ("*": all)."""

    def decorator(handler: Callable) -> Callable:
        for code in codes:
            if handler not in _handlers[code]:
                _handlers[code].append(handler)
        return handler

    return decorator


def unsubscribe(handler: Callable) -> None:
    for handlers in _handlers.values():
        if handler in handlers:
            handlers.remove(handler)


def handlers_for(code: str) -> list[Callable]:
    return [*_handlers.get(code, ()), *_handlers.get(ALL_KINDS, ())]


# --- who is told of what (notifications) ------------------------------------------------
# Data beside the kinds: a rule says who is told of an event of one kind (``audience``),
# which of them may see it (``may_see``: the same permission check as the thing's page),
# where the notification links to (``link``) and how each role hears of it by email
# unless they chose otherwise (``email``: role code -> "immediate" | "digest" | "off").
# The apps that own the kinds fill it from their events module or ready(); the inbox's
# fan-out reads it in the worker. Nobody is told of their own action.


@dataclass(frozen=True)
class NotifyRule:
    code: str
    # ``audience(event) -> iterable of user ids`` to tell (before the checks below).
    audience: Callable[..., object]
    # ``may_see(user, event) -> bool``: whether the page the notification links to would
    # open for ``user``; those it refuses are never told.
    may_see: Callable[..., bool]
    # ``link(event) -> str`` (a path), or None for the event's venture page.
    link: Callable[..., str] | None = None
    email: tuple[tuple[str, str], ...] = ()

    def email_default(self, role: str | None) -> str:
        return dict(self.email).get(role or "", "digest")


_notify_rules: dict[str, NotifyRule] = {}


def notify(
    kind_code: str,
    *,
    audience: Callable[..., object],
    may_see: Callable[..., bool],
    link: Callable[..., str] | None = None,
    email: dict[str, str] | None = None,
) -> NotifyRule:
    """Tell ``audience(event)`` of each event of ``kind_code`` (see ``NotifyRule``)."""
    rule = NotifyRule(kind_code, audience, may_see, link, tuple(sorted((email or {}).items())))
    _notify_rules[kind_code] = rule
    return rule


def kind_notifies(code: str) -> bool:
    """Whether events of ``code`` tell anybody (the outbox writes a row only for these)."""
    return code in _notify_rules


def notify_rule(code: str) -> NotifyRule | None:
    return _notify_rules.get(code)


# ``preload(events)``: read at once what the rules' ``may_see`` will ask of many events
# (their ventures), so a page or a digest checking each row costs a few queries, not a few
# a row. The apps that own the reads register them; ``may_see_preload`` runs them all.
_preloaders: list[Callable[..., None]] = []


def notify_preloader(preload: Callable[..., None]) -> Callable[..., None]:
    if preload not in _preloaders:
        _preloaders.append(preload)
    return preload


def may_see_preload(events) -> None:
    """Before asking ``may_see`` of each of ``events``: read what it needs for all at once."""
    events = list(events)
    if events:
        for preload in _preloaders:
            preload(events)


def notify_rules() -> list[NotifyRule]:
    """Every rule, in the order of their kinds' labels (the preferences page's order)."""
    return sorted(
        _notify_rules.values(),
        key=lambda rule: get_kind(rule.code).label if get_kind(rule.code) else rule.code,
    )
