"""What the invitation services share: the refusal of an action the actor may not take."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)
