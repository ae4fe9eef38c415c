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
import functools
from collections.abc import Callable
from dataclasses import dataclass, field, fields

from django.db.models import Q, QuerySet
from django.utils import timezone

from checklists.models import DONE_STATUSES, ChecklistItem, ItemDay, ItemStatus
from commissioning.models import Contract, ContractDay, Introduction, IntroductionDay
from funding.models import ApplicationStatus, FundingApplication
from outcomes.models import Indicator
from plans.models import BusinessPlan
from scouting.models import EVERY_MEETING, IdeaSource, MeetingTally
from seir.dates import more_than_days_ago
from seir.prepared import prepared
from ventures.models import Stage, StageChange, Venture

from .periods import Period

# Accepted evidence that runs out within this many days is "expiring".
EXPIRING_WITHIN_DAYS = 30
WEEK = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Scope:
    """A programme (narrowed to one SEiR's ventures when ``seir_id`` is given) over a
    period, at one moment: the ids and every instant its conditions compare with, worked
    out once (``Scope.at``). The queries read only these values, so a query built from a
    scope can be prepared once and run again with another scope's ``values()``
    (``prepared_on_scope``)."""

    programme_id: int
    seir_id: int | None
    start: datetime.date  # the period's first day
    end: datetime.date  # its last day (inclusive)
    start_at: datetime.datetime  # the period's first moment
    end_before: datetime.datetime  # the first moment after it
    today: datetime.date
    week_ago: datetime.datetime
    week_ago_day: datetime.date  # today less seven days
    expiring_until: datetime.date  # the last day of the "expiring" window
    stuck_before: datetime.datetime  # in the stage since before this: stuck
    quiet_before: datetime.datetime  # no activity since before this: quiet
    # For what is not a query value (a report's titles, the target stage's code); absent
    # when a scope is rebuilt from its values.
    programme: object = field(default=None, compare=False)

    @classmethod
    def at(cls, *, programme, period: Period, seir, now: datetime.datetime) -> Scope:
        today = timezone.localdate(now)
        return cls(
            programme_id=programme.pk,
            seir_id=seir.pk if seir is not None else None,
            start=period.start,
            end=period.end,
            start_at=period.start_at,
            end_before=period.end_before,
            today=today,
            week_ago=now - WEEK,
            week_ago_day=today - WEEK,
            expiring_until=today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS),
            stuck_before=more_than_days_ago(programme.stuck_after_days, now),
            quiet_before=more_than_days_ago(programme.quiet_after_days, now),
            programme=programme,
        )

    def values(self) -> tuple:
        """The fields, in order, without ``programme``: a prepared query's arguments."""
        return tuple(getattr(self, f.name) for f in fields(self) if f.name != "programme")

    # Ventures (relative to Venture).
    def stuck_q(self) -> Q:
        """As the venture list's "in stage for more than (days)" filter decides it."""
        return Q(stage_entered_at__lt=self.stuck_before)

    def quiet_q(self) -> Q:
        cutoff = self.quiet_before
        return Q(last_activity_at__lt=cutoff) | Q(
            last_activity_at__isnull=True, created_at__lt=cutoff
        )

    def new_q(self) -> Q:
        return Q(created_at__gte=self.start_at, created_at__lt=self.end_before)

    def new_week_q(self) -> Q:
        return Q(created_at__gte=self.week_ago)

    # Stage changes.
    def moves_q(self) -> Q:
        return Q(
            from_stage__isnull=False,
            changed_at__gte=self.start_at,
            changed_at__lt=self.end_before,
        )

    def moves_week_q(self) -> Q:
        return Q(from_stage__isnull=False, changed_at__gte=self.week_ago)

    # Checklist items.
    def overdue_q(self) -> Q:
        """As ``ChecklistItem.is_overdue``: past its due date, not done, not awaiting review."""
        return Q(due_date__lt=self.today) & ~Q(status__in=[*DONE_STATUSES, ItemStatus.SUBMITTED])

    def overdue_week_q(self) -> Q:
        return self.overdue_q() & Q(due_date__gte=self.week_ago_day)

    def expiring_q(self) -> Q:
        return Q(
            status=ItemStatus.ACCEPTED,
            expires_on__gte=self.today,
            expires_on__lte=self.expiring_until,
        )

    # Funding applications.
    def applied_q(self) -> Q:
        return Q(submitted_on__gte=self.start, submitted_on__lte=self.end)

    def awarded_q(self) -> Q:
        return Q(
            status=ApplicationStatus.AWARDED,
            decision_date__gte=self.start,
            decision_date__lte=self.end,
        )

    # Contracts.
    def contract_period_q(self) -> Q:
        """Starting within the period."""
        return Q(start_date__gte=self.start, start_date__lte=self.end)

    def contract_week_q(self) -> Q:
        return Q(created_at__gte=self.week_ago)

    # Scouting meetings (relative to Meeting).
    def meetings_q(self) -> Q:
        """The programme's meetings held within the period; with a SEiR chosen, those that
        SEiR logged (``Meeting.logged_by`` is a meeting's one link to a member of staff)."""
        q = Q(
            programme_id=self.programme_id,
            held_at__gte=self.start_at,
            held_at__lt=self.end_before,
        )
        if self.seir_id is not None:
            q &= Q(logged_by_id=self.seir_id)
        return q


def prepared_on_scope(
    build: Callable[..., QuerySet] | None = None, *, server: bool = True
) -> Callable[..., list]:
    """Decorate ``build(s, *values, **shape)``, which returns a queryset of the scope
    ``s``: calls return its rows, the query built and compiled once per connection and
    shape (``seir.prepared``) and run with the scope's ``values()``. The build must read
    only the scope's fields (its ``programme`` is absent here), which the prepared
    query's check holds it to: an instant worked out inside it is refused."""

    if build is None:  # @prepared_on_scope(server=False)
        return functools.partial(prepared_on_scope, server=server)

    def from_values(*values, **shape):
        return build(Scope(*values[:_VALUES]), *values[_VALUES:], **shape)

    functools.update_wrapper(from_values, build)
    run = prepared(from_values, optional=_INSTANTS, server=server)

    @functools.wraps(build)
    def call(s: Scope, *values, **shape) -> list:
        return run(*s.values(), *values, **shape)

    return call


_VALUES = len(fields(Scope)) - 1  # every field but ``programme``
# The instants (every field after the two ids): each query compares with some of them.
_INSTANTS = tuple(range(2, _VALUES))


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
    q = Q(**{f"{path}programme_id": s.programme_id})
    if s.seir_id is not None:
        q &= Q(**{f"{path}seir_id": s.seir_id})
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
    return Q(target_reached_at__gte=s.start_at, target_reached_at__lt=s.end_before)


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
        programme_id=s.programme_id,
        day__lte=s.expiring_until,
    )


# Relative to ``item_days``: the same days ``overdue_q``, ``expiring_q`` and
# ``overdue_week_q`` pick (their statuses are the day rows' own columns).
def day_before_today(s: Scope) -> Q:
    return Q(day__lt=s.today)


def day_expiring(s: Scope) -> Q:
    return Q(
        day__gte=s.today,
        day__lte=s.expiring_until,
    )


def day_overdue_week(s: Scope) -> Q:
    return Q(day__lt=s.today, day__gte=s.week_ago_day)


def plans(s: Scope) -> QuerySet[BusinessPlan]:
    return BusinessPlan.objects.filter(_venture_filter(s, "venture__"))


def applications(s: Scope) -> QuerySet[FundingApplication]:
    return FundingApplication.objects.filter(_venture_filter(s, "venture__"))


def indicators(s: Scope) -> QuerySet[Indicator]:
    return Indicator.objects.filter(_venture_filter(s, "venture__"))


def introductions(s: Scope) -> QuerySet[Introduction]:
    return Introduction.objects.filter(
        _venture_filter(s, "venture__"),
        made_on__gte=s.start,
        made_on__lte=s.end,
    )


def introduction_days(s: Scope) -> QuerySet[IntroductionDay]:
    """The programme's introduction day rows (``commissioning.IntroductionDay``, kept by
    every introduction write) of the days ``introductions`` counts: made within the
    period. Whole programme only: the rows do not split by SEiR."""
    return IntroductionDay.objects.filter(
        programme_id=s.programme_id, day__gte=s.start, day__lte=s.end
    )


def contract_days(s: Scope) -> QuerySet[ContractDay]:
    """The programme's contract day rows (``commissioning.ContractDay``, kept by every
    contract write) of the days ``contracts`` counts: starting within the period. Whole
    programme only: the rows do not split by SEiR."""
    return ContractDay.objects.filter(programme_id=s.programme_id, day__gte=s.start, day__lte=s.end)


def contracts_of_ventures(s: Scope) -> QuerySet[Contract]:
    """The scope's ventures' contracts, whenever they start."""
    return Contract.objects.filter(_venture_filter(s, "venture__"))


def contracts(s: Scope) -> QuerySet[Contract]:
    return contracts_of_ventures(s).filter(s.contract_period_q())


def meeting_tallies(s: Scope) -> QuerySet[MeetingTally]:
    """The summary rows of the meetings in scope (``meetings_q``: the programme's, held on
    a day of the period, logged by the SEiR when one is chosen), kept by every write
    (``scouting.tallies``). ``sector`` blank: every meeting (by type); a sector's code:
    the meetings at which it was represented (a meeting's sectors are those of the
    organisations represented at it)."""
    rows = MeetingTally.objects.filter(
        programme_id=s.programme_id, day__gte=s.start, day__lte=s.end
    )
    return rows.filter(logged_by_id=s.seir_id) if s.seir_id is not None else rows


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
        programme_id=s.programme_id,
        day__gte=s.start,
        day__lte=s.end,
        sector=sector or EVERY_MEETING,
    )
    return rows.filter(logged_by_id=s.seir_id) if s.seir_id is not None else rows


def funnel_every_source(s: Scope) -> QuerySet[IdeaSource]:
    """As ``funnel_sources`` for every sector and for the meetings themselves at once
    (group by ``sector``: ``EVERY_MEETING``'s group is all sectors'), so the ideas and
    ventures are joined once for both."""
    rows = IdeaSource.objects.filter(programme_id=s.programme_id, day__gte=s.start, day__lte=s.end)
    return rows.filter(logged_by_id=s.seir_id) if s.seir_id is not None else rows


def funnel_first_q(s: Scope) -> Q:
    """(Relative to ``funnel_every_source``.) The one row of each idea and sector that
    counts the idea within the period: no row of the idea in that sector before it in
    the period (``IdeaSource.prev_day``; with a SEiR chosen, none of that SEiR's), so a
    count of these rows counts distinct ideas without sorting them."""
    previous = "prev_day_by_seir" if s.seir_id is not None else "prev_day"
    return Q(**{f"{previous}__isnull": True}) | Q(**{f"{previous}__lt": s.start})


def funnel_source_venture_q(s: Scope) -> Q:
    """(Relative to ``funnel_every_source``.) ``funnel_venture_q`` read from what the
    source rows keep of their idea's venture, without joining it."""
    return Q(venture__isnull=False) & _venture_filter(s, "venture_")


def funnel_source_counting_q(s: Scope) -> Q:
    """(Relative to ``funnel_every_source``.) ``funnel_counting_q`` read from the source
    rows (the venture's ``target_reached_at`` copied onto them)."""
    return funnel_source_venture_q(s) & prefix(achieved_q(s), "venture_")


def funnel_venture_q(s: Scope) -> Q:
    """(Relative to ``funnel_sources``.) The idea became one of the scope's ventures (the
    programme's; with a SEiR chosen, that SEiR's, as every venture figure here)."""
    return prefix(_venture_filter(s, ""), "idea__venture__")


def funnel_counting_q(s: Scope) -> Q:
    """(Relative to ``funnel_sources``.) ... and that venture counts towards the target by
    the headline's definition (``achieved_q``), within the dashboard's period."""
    return funnel_venture_q(s) & prefix(achieved_q(s), "idea__venture__")
