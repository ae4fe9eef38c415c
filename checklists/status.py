"""The item status machine, as data: which moves exist, who may make each, what each
needs, and the event it records. ``services.checklist_item_move`` enforces it through
``seir.transitions``."""

from __future__ import annotations

from dataclasses import dataclass

from seir import transitions

from .models import ItemStatus as S


class By:
    TEAM = "team"  # the venture's team (staff may act for them)
    REVIEWER = "reviewer"  # the programme's SEiR or an administrator
    SYSTEM = "system"  # the daily expiry run


class Needs:
    NOTHING = ""
    COMMENT = "comment"  # a comment for the team (a return)
    REASON = "reason"  # why the item does not apply
    EVIDENCE = "evidence"  # at least one current file or link


@dataclass(frozen=True)
class Move(transitions.Move):
    """A move (``to``, ``by`` one of ``By``) with its button, its event and what it needs."""

    verb: str = ""  # the button's label
    event: str = ""
    needs: str = Needs.NOTHING


def _m(to, by, verb, event, needs=Needs.NOTHING) -> Move:
    return Move(to=to, by=by, verb=verb, event=event, needs=needs)


_START = _m(S.IN_PROGRESS, By.TEAM, "Start work", "checklist.item_started")
_SUBMIT = _m(S.SUBMITTED, By.TEAM, "Submit for review", "checklist.item_submitted", Needs.EVIDENCE)
_NOT_APPLICABLE = _m(
    S.NOT_APPLICABLE,
    By.REVIEWER,
    "Mark not applicable",
    "checklist.item_not_applicable",
    Needs.REASON,
)

# status -> the moves out of it, in the order their buttons appear.
TRANSITIONS = transitions.Transitions(
    {
        S.NOT_STARTED: (_START, _SUBMIT, _NOT_APPLICABLE),
        S.IN_PROGRESS: (_SUBMIT, _NOT_APPLICABLE),
        S.SUBMITTED: (
            _m(S.ACCEPTED, By.REVIEWER, "Accept", "checklist.item_accepted"),
            _m(
                S.RETURNED,
                By.REVIEWER,
                "Return with a comment",
                "checklist.item_returned",
                Needs.COMMENT,
            ),
            _m(S.IN_PROGRESS, By.TEAM, "Withdraw the submission", "checklist.item_withdrawn"),
        ),
        S.RETURNED: (_SUBMIT, _START, _NOT_APPLICABLE),
        S.ACCEPTED: (
            _m(S.IN_PROGRESS, By.REVIEWER, "Reopen", "checklist.item_reopened", Needs.COMMENT),
            _m(S.EXPIRED, By.SYSTEM, "Expire", "checklist.item_expired"),
            _NOT_APPLICABLE,
        ),
        S.EXPIRED: (_SUBMIT, _START, _NOT_APPLICABLE),
        S.NOT_APPLICABLE: (
            _m(S.NOT_STARTED, By.REVIEWER, "Reinstate", "checklist.item_reinstated"),
        ),
    },
    labels=S,
)

# The team may add evidence while the item is theirs to work on.
EVIDENCE_STATUSES = frozenset({S.NOT_STARTED, S.IN_PROGRESS, S.RETURNED, S.EXPIRED})
