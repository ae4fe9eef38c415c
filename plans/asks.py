"""Plan feedback the team has not read yet: the plan's part of "What is being asked of
you" (ventures.asks), and what counts as read (inbox).

Feedback is addressed to the team: a comment on the plan's latest version, once the SEiR
has released it (feedback given, or approved). It becomes read, per person, when a team
member opens a page that shows it (the plan tab, the version page) or presses "Mark as
read" on My ventures. Feedback on an older version is not asked about: a newer version
has answered it. Reviewers' own reading is not recorded (they wrote it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F
from django.urls import reverse

from inbox.registry import read_key, register_readable
from inbox.selectors import read_ids
from ventures.asks import Ask, AskKind, register_source

from .models import PlanComment, PlanStatus
from .permissions import PlanAccess, plan_access

RELEASED = (PlanStatus.FEEDBACK_GIVEN, PlanStatus.APPROVED)


def _latest_released(venture_ids) -> Iterable[PlanComment]:
    return PlanComment.objects.filter(
        version__plan__venture__in=venture_ids,
        version__number=F("version__plan__latest_number"),
        version__review__status__in=RELEASED,
    )


def _for_team(rights: PlanAccess) -> bool:
    return rights.write and not rights.review


def latest_feedback(*, venture, rights: PlanAccess) -> list[PlanComment]:
    """The released feedback on ``venture``'s latest version, if ``rights`` are the
    team's (one query), else nothing (no query): what the plan tab shows the team."""
    if not _for_team(rights):
        return []
    return list(_latest_released([venture.pk]).only("pk"))


def feedback_for_team(*, rights: PlanAccess, comments: Iterable[PlanComment]) -> list[PlanComment]:
    """Of the feedback a page shows, what the person reads as a team member."""
    return list(comments) if _for_team(rights) else []


def plan_feedback_asks(*, user, ventures, today):
    """One ask per venture whose latest version has feedback ``user`` has not read (two
    queries: the feedback, then which of it ``user`` has read)."""
    comments = list(
        _latest_released([v.pk for v in ventures])
        .order_by("created_at", "id")
        .values_list("pk", "version__plan__venture_id", "version__number")
    )
    read = read_ids(user=user, model=PlanComment, ids=[pk for pk, _, _ in comments])
    unread: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pk, venture_id, number in comments:
        if pk not in read:
            unread[(venture_id, number)].append(pk)
    for (venture_id, number), pks in unread.items():
        count = len(pks)
        yield Ask(
            venture_id=venture_id,
            kind=AskKind.FEEDBACK,
            text=f"Read your SEiR's feedback on version {number} of the business plan",
            url=reverse("plans:version", args=[venture_id, number]),
            detail=f"{count} comment{'s' if count != 1 else ''} you have not read yet.",
            read_keys=tuple(read_key(PlanComment, pk) for pk in pks),
        )


def readable_feedback(user, ids) -> list[PlanComment]:
    """Of the comments ``ids``, those ``user`` reads as a team member (released, on a
    plan they may write and not review): the only feedback "Mark as read" accepts."""
    comments = list(
        PlanComment.objects.filter(pk__in=ids, version__review__status__in=RELEASED).select_related(
            "version__plan__venture"
        )
    )
    rights = {}
    for comment in comments:
        venture = comment.version.plan.venture
        if venture.pk not in rights:
            rights[venture.pk] = plan_access(user, venture)
    return [c for c in comments if _for_team(rights[c.version.plan.venture_id])]


register_source("plans", plan_feedback_asks)
register_readable(PlanComment, readable_feedback)
