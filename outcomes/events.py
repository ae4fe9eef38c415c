"""The event kinds outcomes records (registered from OutcomesConfig.ready())."""

from __future__ import annotations

from events.registry import EventKind, register_kinds

KINDS = (
    EventKind(
        "outcomes.indicator_added",
        "Outcome indicator added",
        "outcomes/events/indicator_added.jinja",
    ),
    EventKind(
        "outcomes.indicator_sharing_changed",
        "Outcome indicator shared or unshared",
        "outcomes/events/indicator_sharing_changed.jinja",
    ),
    EventKind(
        "outcomes.measurement_recorded",
        "Outcome measurement recorded",
        "outcomes/events/measurement_recorded.jinja",
    ),
    EventKind(
        "outcomes.measurement_corrected",
        "Outcome measurement corrected",
        "outcomes/events/measurement_corrected.jinja",
    ),
)


def register() -> None:
    register_kinds(*KINDS)
