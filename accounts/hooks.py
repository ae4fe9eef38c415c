"""Seams for the apps above accounts.

accounts sits below the domain apps, so it never imports them. An app that must act when
a programme is created (e.g. ventures installs the default stages) registers a callable
here from its AppConfig.ready().
"""

from collections.abc import Callable

_programme_created: list[Callable] = []


def on_programme_created(func: Callable) -> Callable:
    """Register ``func(programme=...)``, run inside the creating transaction."""
    if func not in _programme_created:
        _programme_created.append(func)
    return func


def programme_created(*, programme) -> None:
    for func in _programme_created:
        func(programme=programme)


# Programme membership changes: events records them (events sits above accounts, so
# accounts announces the change here and never imports events). Run inside the service's
# transaction, so what they write commits or rolls back with the change.
_membership_changed: list[Callable] = []


def on_membership_changed(func: Callable) -> Callable:
    """Register ``func(membership=..., actor=..., added=bool)``."""
    if func not in _membership_changed:
        _membership_changed.append(func)
    return func


def membership_changed(*, membership, actor, added: bool) -> None:
    for func in _membership_changed:
        func(membership=membership, actor=actor, added=added)
