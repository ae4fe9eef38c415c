"""The serving process's heap, settled once it has started.

CPython's cyclic garbage collector walks every object it tracks in its oldest
generation on a full collection. A Django process holds some 190,000 of them by the
time it serves (modules, URL patterns, compiled templates, model metadata), none of
them ever garbage, so each full collection took ~100 ms at 10,000 ventures, about
once every 200 requests: a pause a reader waits through (docs/performance.md, §18).
``settle`` loads what every request needs, then moves the survivors into the
permanent generation (``gc.freeze``), which the collector no longer walks. Objects
made later are collected as before; reference counting frees the rest as always.

The young generation is collected after 5,000 new objects rather than 700: a page
makes tens of thousands, and collecting them in fewer, larger passes cost less
(about a third less collector time on the venture page and the board).
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 5000


def settle() -> None:
    """Load the URL patterns and template engines, then freeze what survives."""
    from django.template import engines
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    engines.all()
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
