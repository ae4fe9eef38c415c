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


# Account changes (global administration or superuser status granted or revoked, an
# account closed or opened again): events records them too. ``change`` is one of
# ACCOUNT_CHANGES. Run inside the service's transaction, like membership changes.
ACCOUNT_CHANGES = (
    "global_admin_granted",
    "global_admin_revoked",
    "superuser_granted",
    "superuser_revoked",
    "deactivated",
    "reactivated",
)
_account_changed: list[Callable] = []


def on_account_changed(func: Callable) -> Callable:
    """Register ``func(user=..., actor=..., change=str)``."""
    if func not in _account_changed:
        _account_changed.append(func)
    return func


def account_changed(*, user, actor, change: str) -> None:
    if change not in ACCOUNT_CHANGES:
        raise ValueError(f"unknown account change: {change}")
    for func in _account_changed:
        func(user=user, actor=actor, change=change)


# The programme page: apps above accounts add what they know about a programme (its
# stages' names, who may be invited) without accounts importing them. Each provider
# returns a dict merged into the page's context.
_programme_page: list[Callable] = []


def on_programme_page(func: Callable) -> Callable:
    """Register ``func(request=..., programme=...) -> dict`` for the programme page."""
    if func not in _programme_page:
        _programme_page.append(func)
    return func


def programme_page_context(*, request, programme) -> dict:
    context: dict = {}
    for func in _programme_page:
        context.update(func(request=request, programme=programme))
    return context
