"""The one refusal every service raises, and the one ``require``.

A service that will not do what a person asked raises ``Refused`` (or its app's thin
subclass: ``VentureError``, ``ChecklistError``, ...) with a message written for that
person; views show it beside the form or as a message, never as a 500. A caller that
handles every app's refusal the same way catches ``Refused``; one that must tell its
own app's apart still catches the subclass.

``require`` is the permission check at the top of a service: a refusal that answers 403
(``PermissionDenied``), as Django's views do, unless a view catches it to show it.

Operational failures (a backup that cannot be written, a broken archive) are not
refusals of a person's request: they keep their own exception classes.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

NO_PERMISSION = "You do not have permission to do that."


class Refused(Exception):
    """A refusal to show the person (never a 500); ``message`` says what to do about it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def require(condition: bool, message: str = NO_PERMISSION) -> None:
    """Refuse with 403 (``PermissionDenied(message)``) unless ``condition`` holds."""
    if not condition:
        raise PermissionDenied(message)
