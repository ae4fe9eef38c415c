"""What each figure counts, written once: the base rows of a programme (narrowed to one
SEiR's ventures when asked) and the conditions that pick a figure's rows from them.

The scouting figures follow the same period and SEiR: meetings held within the period
(logged by that SEiR, when one is chosen), the ideas that came from those meetings and
the ventures those ideas became (``funnel_sources``).

``progress.selectors`` aggregates these; ``progress.rows`` lists them. A figure and the
list behind it therefore cannot disagree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from checklists.models import DONE_STATUSES, ChecklistItem, ItemDay, ItemStatus
from commissioning.models import Contract, Introduction, IntroductionDay
from funding.models import ApplicationStatus, FundingApplication
from outcomes.models import Indicator
from plans.models import BusinessPlan
from scouting.models import EVERY_MEETING, IdeaSource, MeetingTally
from seir.dates import more_than_days_ago
from ventures.models import Stage, StageChange, Venture

from .periods import Period

# Accepted evidence that runs out within this many days is "expiring".
EXPIRING_WITHIN_DAYS = 30
WEEK = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Scope:
    programme: object
    period: Period
    seir: object | None
    now: datetime.datetime

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    @property
    def week_ago(self) -> datetime.datetime:
        return self.now - WEEK

    # Ventures (relative to Venture).
    def stuck_q(self) -> Q:
        """As the venture list's "in stage for more than (days)" filter decides it."""
        return Q(stage_entered_at__lt=more_than_days_ago(self.programme.stuck_after_days, self.now))

    def quiet_q(self) -> Q:
        cutoff = more_than_days_ago(self.programme.quiet_after_days, self.now)
        return Q(last_activity_at__lt=cutoff) | Q(
            last_activity_at__isnull=True, created_at__lt=cutoff
        )

    def new_q(self) -> Q:
        return Q(created_at__gte=self.period.start_at, created_at__lt=self.period.end_before)

    def new_week_q(self) -> Q:
        return Q(created_at__gte=self.week_ago)

    # Stage changes.
    def moves_q(self) -> Q:
        return Q(
            from_stage__isnull=False,
            changed_at__gte=self.period.start_at,
            changed_at__lt=self.period.end_before,
        )

    def moves_week_q(self) -> Q:
        return Q(from_stage__isnull=False, changed_at__gte=self.week_ago)

    # Checklist items.
    def overdue_q(self) -> Q:
        """As ``ChecklistItem.is_overdue``: past its due date, not done, not awaiting review."""
        return Q(due_date__lt=self.today) & ~Q(status__in=[*DONE_STATUSES, ItemStatus.SUBMITTED])

    def overdue_week_q(self) -> Q:
        return self.overdue_q() & Q(due_date__gte=self.today - WEEK)

    def expiring_q(self) -> Q:
        return Q(
            status=ItemStatus.ACCEPTED,
            expires_on__gte=self.today,
            expires_on__lte=self.today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS),
        )

    # Funding applications.
    def applied_q(self) -> Q:
        return Q(submitted_on__gte=self.period.start, submitted_on__lte=self.period.end)

    def awarded_q(self) -> Q:
        return Q(
            status=ApplicationStatus.AWARDED,
            decision_date__gte=self.period.start,
            decision_date__lte=self.period.end,
        )

    def contract_week_q(self) -> Q:
        return Q(created_at__gte=self.week_ago)

    # Scouting meetings (relative to Meeting).
    def meetings_q(self) -> Q:
        """The programme's meetings held within the period; with a SEiR chosen, those that
        SEiR logged (``Meeting.logged_by`` is a meeting's one link to a member of staff)."""
        q = Q(
            programme=self.programme,
            held_at__gte=self.period.start_at,
            held_at__lt=self.period.end_before,
        )
        if self.seir is not None:
            q &= Q(logged_by=self.seir)
        return q


def prefix(q: Q, path: str) -> Q:
    """``q`` with every lookup moved under ``path`` (e.g. ``ventures__``)."""
    clone = Q()
    clone.connector, clone.negated = q.connector, q.negated
    clone.children = [
        prefix(child, path) if isinstance(child, Q) else (path + child[0], child[1])
        for child in q.children
    ]
    return clone


def _venture_filter(s: Scope, path: str) -> Q:
    q = Q(**{f"{path}programme": s.programme})
    if s.seir is not None:
        q &= Q(**{f"{path}seir": s.seir})
    return q


def ventures(s: Scope) -> QuerySet[Venture]:
    return Venture.objects.filter(_venture_filter(s, ""))


def stage_changes(s: Scope) -> QuerySet[StageChange]:
    return StageChange.objects.filter(_venture_filter(s, "venture__"))


def target_order(s: Scope) -> int | None:
    """The order of the programme's target stage (one query), None if it has none."""
    return (
        Stage.objects.filter(programme=s.programme, code=s.programme.target_stage_code)
        .values_list("order", flat=True)
        .first()
    )


def achieved_q(s: Scope) -> Q:
    """(Relative to Venture.) Counts towards the target: its FIRST entry into the target
    stage, or a later one (by stage order), falls within the period; a venture that
    reached it before the period does not count again, and one that reached it and was
    later moved back, paused or closed still counts. ``Venture.target_reached_at`` is
    that first entry, kept from the stage history by every write (``ventures.targets``)."""
    return Q(target_reached_at__gte=s.period.start_at, target_reached_at__lt=s.period.end_before)


def achieved(s: Scope) -> QuerySet[Venture]:
    """The scope's ventures that count towards the target (``achieved_q``). The headline
    target, its list, the report's frozen list and the scouting funnel's "counting
    towards target" column all read this. (A programme without its target stage has no
    such ventures: their ``target_reached_at`` is empty.)"""
    return ventures(s).filter(achieved_q(s))


def items(s: Scope) -> QuerySet[ChecklistItem]:
    return ChecklistItem.objects.filter(
        _venture_filter(s, "checklist__venture__"), removed_at__isnull=True
    )


def item_days(s: Scope) -> QuerySet[ItemDay]:
    """The programme's checklist day rows (``checklists.ItemDay``, kept by every item
    write) that ``overdue_q`` or ``expiring_q`` can count: days up to the end of the
    expiring window. Whole programme only: the rows do not split by SEiR."""
    return ItemDay.objects.filter(
        programme=s.programme,
        day__lte=s.today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS),
    )


# Relative to ``item_days``: the same days ``overdue_q``, ``expiring_q`` and
# ``overdue_week_q`` pick (their statuses are the day rows' own columns).
def day_before_today(s: Scope) -> Q:
    return Q(day__lt=s.today)


def day_expiring(s: Scope) -> Q:
    return Q(
        day__gte=s.today,
        day__lte=s.today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS),
    )


def day_overdue_week(s: Scope) -> Q:
    return Q(day__lt=s.today, day__gte=s.today - WEEK)


def plans(s: Scope) -> QuerySet[BusinessPlan]:
    return BusinessPlan.objects.filter(_venture_filter(s, "venture__"))


def applications(s: Scope) -> QuerySet[FundingApplication]:
    return FundingApplication.objects.filter(_venture_filter(s, "venture__"))


def indicators(s: Scope) -> QuerySet[Indicator]:
    return Indicator.objects.filter(_venture_filter(s, "venture__"))


def introductions(s: Scope) -> QuerySet[Introduction]:
    return Introduction.objects.filter(
        _venture_filter(s, "venture__"),
        made_on__gte=s.period.start,
        made_on__lte=s.period.end,
    )


def introduction_days(s: Scope) -> QuerySet[IntroductionDay]:
    """The programme's introduction day rows (``commissioning.IntroductionDay``, kept by
    every introduction write) of the days ``introductions`` counts: made within the
    period. Whole programme only: the rows do not split by SEiR."""
    return IntroductionDay.objects.filter(
        programme=s.programme, day__gte=s.period.start, day__lte=s.period.end
    )


def contracts(s: Scope) -> QuerySet[Contract]:
    return Contract.objects.filter(
        _venture_filter(s, "venture__"),
        start_date__gte=s.period.start,
        start_date__lte=s.period.end,
    )


def contracts_recorded_in_week(s: Scope) -> QuerySet[Contract]:
    """The scope's ventures' contracts recorded in the last 7 days, whatever their start
    date (the week strip: what changed since last week, as its moves and new ventures)."""
    return Contract.objects.filter(_venture_filter(s, "venture__")).filter(s.contract_week_q())


def meeting_tallies(s: Scope) -> QuerySet[MeetingTally]:
    """The summary rows of the meetings in scope (``meetings_q``: the programme's, held on
    a day of the period, logged by the SEiR when one is chosen), kept by every write
    (``scouting.tallies``). ``sector`` blank: every meeting (by type); a sector's code:
    the meetings at which it was represented (a meeting's sectors are those of the
    organisations represented at it)."""
    rows = MeetingTally.objects.filter(
        programme=s.programme, day__gte=s.period.start, day__lte=s.period.end
    )
    return rows.filter(logged_by=s.seir) if s.seir is not None else rows


# The scouting funnel on the dashboard: meetings held in the period -> the ideas that
# came from them -> the ventures those became -> of these, the ones counting towards the
# target. The scouting start page keeps its own whole-programme funnel
# (``scouting.funnel.scouting_funnel``).


def funnel_sources(s: Scope, sector: str = "") -> QuerySet[IdeaSource]:
    """The programme's ideas' source meetings in scope (``meetings_q``), as the summary
    rows ``scouting.IdeaSource`` keep them: one row per idea, day, SEiR and sector.
    Without ``sector``, the rows standing for the meetings themselves (whatever their
    sectors); with one, only those of that sector. Count ``idea_id`` distinct: an idea
    counts once however many of its meetings are in scope."""
    rows = IdeaSource.objects.filter(
        programme=s.programme,
        day__gte=s.period.start,
        day__lte=s.period.end,
        sector=sector or EVERY_MEETING,
    )
    return rows.filter(logged_by=s.seir) if s.seir is not None else rows


def funnel_sector_sources(s: Scope) -> QuerySet[IdeaSource]:
    """As ``funnel_sources`` for every sector at once (group by ``sector``)."""
    rows = IdeaSource.objects.filter(
        programme=s.programme, day__gte=s.period.start, day__lte=s.period.end
    ).exclude(sector=EVERY_MEETING)
    return rows.filter(logged_by=s.seir) if s.seir is not None else rows


def funnel_venture_q(s: Scope) -> Q:
    """(Relative to ``funnel_sources``.) The idea became one of the scope's ventures (the
    programme's; with a SEiR chosen, that SEiR's, as every venture figure here)."""
    return prefix(_venture_filter(s, ""), "idea__venture__")


def funnel_counting_q(s: Scope) -> Q:
    """(Relative to ``funnel_sources``.) ... and that venture counts towards the target by
    the headline's definition (``achieved_q``), within the dashboard's period."""
    return funnel_venture_q(s) & prefix(achieved_q(s), "idea__venture__")
