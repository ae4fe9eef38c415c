"""What is being asked of a venture's team: the seam through which other apps add to the
entrepreneur's to-do list on "My ventures".

A satellite (checklists, plans, commissioning, funding) registers an *ask source* from
AppConfig.ready(), so ventures never imports it. A source is called with a batch of
ventures whose team the viewing user is on, and returns the asks waiting on that team,
each with a link to act, using a FIXED number of queries whatever the number of ventures
or items (the page's query count is pinned). The gate conditions of the venture's stage
are shown beside the asks by the page itself (``ventures.gates``), as before.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User

from .models import TeamMembership, Venture

# "Due soon": due today or within this many days.
DUE_SOON_DAYS = 7


class AskKind:
    """Kinds of ask, most urgent first: the order the page lists them in."""

    RETURNED = "returned"  # the SEiR sent a checklist item back with a comment
    EXPIRED = "expired"  # accepted evidence has run out and must be renewed
    OVERDUE = "overdue"  # a due date or deadline has passed
    DUE_SOON = "due_soon"  # due within DUE_SOON_DAYS
    FEEDBACK = "feedback"  # plan feedback the person has not read yet
    WAITING = "waiting"  # a step (an introduction, a referral) that is the team's to take

    ORDER = (RETURNED, EXPIRED, OVERDUE, DUE_SOON, FEEDBACK, WAITING)
    LABELS = {
        RETURNED: "Returned",
        EXPIRED: "Expired",
        OVERDUE: "Overdue",
        DUE_SOON: "Due soon",
        FEEDBACK: "To read",
        WAITING: "Your move",
    }
    # Bootstrap's contrast-safe badge colours.
    BADGES = {
        RETURNED: "text-bg-danger",
        EXPIRED: "text-bg-danger",
        OVERDUE: "text-bg-danger",
        DUE_SOON: "text-bg-warning",
        FEEDBACK: "text-bg-info",
        WAITING: "text-bg-primary",
    }


@dataclass(frozen=True)
class Ask:
    venture_id: int
    kind: str
    text: str  # what to do; the page makes it the link to ``url``
    url: str
    detail: str = ""  # e.g. the SEiR's comment on a returned item
    detail_label: str = ""  # what the detail is ("Comment from Samira Patel")
    due: datetime.date | None = None
    # Things that become read with the "Mark as read" button (inbox.registry.read_key).
    read_keys: tuple[str, ...] = ()

    @property
    def urgency(self) -> int:
        return AskKind.ORDER.index(self.kind) if self.kind in AskKind.ORDER else len(AskKind.ORDER)

    @property
    def kind_label(self) -> str:
        return AskKind.LABELS.get(self.kind, "")

    @property
    def badge(self) -> str:
        return AskKind.BADGES.get(self.kind, "text-bg-secondary")


def due_soon_until(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=DUE_SOON_DAYS)


# source(*, user, ventures, today) -> iterable of Ask, for ventures whose team ``user``
# is on (so the team's rights apply to every one of them).
AskSource = Callable[..., Iterable[Ask]]

_sources: dict[str, AskSource] = {}


def register_source(code: str, source: AskSource) -> AskSource:
    """Register (or re-register, e.g. on autoreload) the ask source named ``code``."""
    _sources[code] = source
    return source


def team_asks(
    *, user: User, ventures: Iterable[Venture], today: datetime.date | None = None
) -> dict[int, list[Ask]]:
    """{venture id: asks waiting on its team, most urgent first} for the ventures among
    ``ventures`` whose team ``user`` is on (others get nothing). Queries: one for the
    team check, plus each source's fixed number; none without ventures."""
    ventures = list(ventures)
    if not ventures:
        return {}
    today = today or timezone.localdate()
    on_team = set(
        TeamMembership.objects.filter(user=user, venture_id__in=[v.pk for v in ventures])
        .order_by()
        .values_list("venture_id", flat=True)
    )
    mine = [v for v in ventures if v.pk in on_team]
    asks: dict[int, list[Ask]] = defaultdict(list)
    if mine:
        for source in _sources.values():
            for ask in source(user=user, ventures=mine, today=today):
                if ask.venture_id in on_team:
                    asks[ask.venture_id].append(ask)
    far = datetime.date.max
    return {
        venture_id: sorted(found, key=lambda a: (a.urgency, a.due or far, a.text))
        for venture_id, found in asks.items()
    }
