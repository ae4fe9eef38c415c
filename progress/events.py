"""The event kinds the target report records, each with its template (registered from
ProgressConfig.ready())."""

from events.registry import EventKind, register_kinds

_T = "progress/events/{}.jinja"

EVENT_KINDS = (
    EventKind("report.requested", "Target report requested", _T.format("report_requested")),
    EventKind("report.generated", "Target report generated", _T.format("report_generated")),
    EventKind("report.failed", "Target report failed", _T.format("report_failed")),
)


def register() -> None:
    register_kinds(*EVENT_KINDS)
