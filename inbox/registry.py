"""What can be marked as read from a button, and who may see it.

An app whose things people read (plan feedback today; replies and notifications later)
registers the model from its AppConfig.ready() with ``visible(user, ids) -> objects``:
the objects among ``ids`` that ``user`` may read. The "Mark as read" view asks it, so
nobody records a read of something they could not open (404, as for any unseen thing).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

Visible = Callable[..., list[models.Model]]

_readables: dict[str, Visible] = {}


def register_readable(model: type[models.Model], visible: Visible) -> None:
    _readables[model._meta.label_lower] = visible


def readable(label: str) -> Visible | None:
    return _readables.get(label)


def read_key(model: type[models.Model], pk: int) -> str:
    """The value a "Mark as read" form posts for one thing: ``"app.model:pk"``."""
    return f"{model._meta.label_lower}:{pk}"
