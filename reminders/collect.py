"""What is due to be reminded, and to whom: one pass over each source.

Each source is one ``values()`` query (plus one for the teams, one for programme staff
and one for inactive accounts), so a run's query count does not grow with the number of
items, follow-ups or ventures; the rows are matched to people in memory.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import Programme, ProgrammeMembership, User
from accounts.roles import STAFF_ROLES
from checklists.models import DONE_STATUSES, ChecklistItem, ItemStatus
from commissioning.models import Introduction, Step
from funding.models import ApplicationStatus, FundingApplication
from scouting.models import FollowUp
from seir.dates import more_than_days_ago
from ventures.models import DATES_LIVE_STATUSES, TeamMembership, Venture, VentureStatus

from .models import ReminderKind

# How far ahead each reminder looks (the numbers).
DUE_SOON_DAYS = 7
EVIDENCE_EXPIRY_DAYS = 30
FUNDING_DEADLINE_DAYS = 14
INTRODUCTION_WAIT_DAYS = 14

# An item waiting on nobody in its team: done, or with the reviewer.
_NOT_WAITING = [*DONE_STATUSES, ItemStatus.SUBMITTED]
# Open introductions still waiting for the commissioner's first answer.
_AWAITING_ANSWER = [Step.REQUESTED, Step.INTRODUCED]


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Due:
    """One reminder to one person (before it is recorded)."""

    key: str
    recipient_id: int
    kind: str
    text: str
    url: str
    due_on: dt.date | None
    # What it is about, for the check made again when its email goes
    # (``reminders.permissions``): the venture, and the programme (follow-ups: only that).
    venture_id: int | None = None
    programme_id: int | None = None


@dataclass
class _People:
    """Who may act where: teams by venture, SEiRs/administrators by programme."""

    teams: dict[int, set[int]]
    staff: dict[int, set[int]]
    inactive: set[int]

    def active(self, ids: Iterable[int | None]) -> list[int]:
        return sorted({i for i in ids if i is not None and i not in self.inactive})

    def seirs(self, *, seir_id: int | None, programme_id: int) -> list[int]:
        """The venture's SEiR while they still run its programme (``Venture.seir`` stays
        set when their role is removed, and they may no longer open the venture);
        failing that, the programme's SEiRs and administrators."""
        staff = self.staff.get(programme_id, ())
        mine = self.active([seir_id if seir_id in staff else None])
        return mine or self.active(staff)

    def can_act(self, user_id: int, *, venture_id: int, seir_id, programme_id: int) -> bool:
        """On the venture's team, or running its programme (its SEiR among them while
        their role lasts)."""
        return user_id in self.teams.get(venture_id, ()) or user_id in self.staff.get(
            programme_id, ()
        )

    def owner_or_seir(
        self, owner_id: int | None, *, venture_id: int, seir_id, programme_id: int
    ) -> list[int]:
        """The owner when they are still active and may act on the venture; anything with
        no such owner goes to the venture's SEiR."""
        if (
            owner_id is not None
            and owner_id not in self.inactive
            and self.can_act(
                owner_id, venture_id=venture_id, seir_id=seir_id, programme_id=programme_id
            )
        ):
            return [owner_id]
        return self.seirs(seir_id=seir_id, programme_id=programme_id)


def _people() -> _People:
    teams: dict[int, set[int]] = defaultdict(set)
    for venture_id, user_id in TeamMembership.objects.filter(
        venture__status__in=DATES_LIVE_STATUSES
    ).values_list("venture_id", "user_id"):
        teams[venture_id].add(user_id)
    staff: dict[int, set[int]] = defaultdict(set)
    for programme_id, user_id in ProgrammeMembership.objects.filter(
        role__in=STAFF_ROLES
    ).values_list("programme_id", "user_id"):
        staff[programme_id].add(user_id)
    inactive = set(User.objects.filter(is_active=False).values_list("pk", flat=True))
    return _People(teams=teams, staff=staff, inactive=inactive)


def _checklist_items(today: dt.date, people: _People) -> Iterable[Due]:
    rows = (
        ChecklistItem.objects.filter(
            removed_at__isnull=True,
            due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
            checklist__venture__status__in=DATES_LIVE_STATUSES,
        )
        .exclude(status__in=_NOT_WAITING)
        .order_by()
        .values(
            "pk",
            "label",
            "due_date",
            "owner_id",
            venture_id=F("checklist__venture_id"),
            venture_name=F("checklist__venture__name"),
            seir_id=F("checklist__venture__seir_id"),
            programme_id=F("checklist__venture__programme_id"),
        )
    )
    for row in rows:
        overdue = row["due_date"] < today
        kind = ReminderKind.ITEM_OVERDUE if overdue else ReminderKind.ITEM_DUE
        when = "was due" if overdue else "is due"
        text = f"{row['venture_name']}: checklist item “{row['label']}” {when} on"
        url = reverse("checklists:item", args=[row["pk"]])
        for user_id in people.owner_or_seir(
            row["owner_id"],
            venture_id=row["venture_id"],
            seir_id=row["seir_id"],
            programme_id=row["programme_id"],
        ):
            yield Due(
                key=f"{kind}:{row['pk']}:{row['due_date']:%Y-%m-%d}:{user_id}",
                recipient_id=user_id,
                kind=kind,
                text=f"{text} {_day(row['due_date'])}",
                url=url,
                due_on=row["due_date"],
                venture_id=row["venture_id"],
                programme_id=row["programme_id"],
            )


def _expiring_evidence(today: dt.date, people: _People) -> Iterable[Due]:
    rows = (
        ChecklistItem.objects.filter(
            status=ItemStatus.ACCEPTED,
            removed_at__isnull=True,
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=EVIDENCE_EXPIRY_DAYS),
            checklist__venture__status__in=DATES_LIVE_STATUSES,
        )
        .order_by()
        .values(
            "pk",
            "label",
            "expires_on",
            venture_id=F("checklist__venture_id"),
            venture_name=F("checklist__venture__name"),
            seir_id=F("checklist__venture__seir_id"),
            programme_id=F("checklist__venture__programme_id"),
        )
    )
    kind = ReminderKind.EVIDENCE_EXPIRING
    for row in rows:
        # The team renews it and the SEiR accepts the renewal: both are told.
        recipients = set(people.active(people.teams.get(row["venture_id"], ())))
        recipients.update(people.seirs(seir_id=row["seir_id"], programme_id=row["programme_id"]))
        for user_id in sorted(recipients):
            yield Due(
                key=f"{kind}:{row['pk']}:{row['expires_on']:%Y-%m-%d}:{user_id}",
                recipient_id=user_id,
                kind=kind,
                text=(
                    f"{row['venture_name']}: the evidence for “{row['label']}” expires after "
                    f"{_day(row['expires_on'])}"
                ),
                url=reverse("checklists:item", args=[row["pk"]]),
                due_on=row["expires_on"],
                venture_id=row["venture_id"],
                programme_id=row["programme_id"],
            )


def _followups(today: dt.date, people: _People) -> Iterable[Due]:
    rows = (
        FollowUp.objects.filter(done=False, due__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        .order_by()
        .values("pk", "what", "due", "assignee_id", "programme_id")
    )
    url = reverse("scouting:followups")
    for row in rows:
        overdue = row["due"] < today
        kind = ReminderKind.FOLLOWUP_OVERDUE if overdue else ReminderKind.FOLLOWUP_DUE
        assignee = row["assignee_id"]
        staff = people.staff.get(row["programme_id"], ())
        if assignee is not None and assignee not in people.inactive and assignee in staff:
            recipients = [assignee]
        else:
            # Follow-ups belong to the programme, not a venture: its SEiRs pick them up.
            recipients = people.active(staff)
        when = "was due" if overdue else "is due"
        for user_id in recipients:
            yield Due(
                key=f"{kind}:{row['pk']}:{row['due']:%Y-%m-%d}:{user_id}",
                recipient_id=user_id,
                kind=kind,
                text=f"Follow-up “{row['what']}” {when} on {_day(row['due'])}",
                url=url,
                due_on=row["due"],
                programme_id=row["programme_id"],
            )


def _funding_deadlines(today: dt.date, people: _People) -> Iterable[Due]:
    rows = (
        FundingApplication.objects.filter(
            status=ApplicationStatus.DRAFTING,
            deadline__gte=today,
            deadline__lte=today + dt.timedelta(days=FUNDING_DEADLINE_DAYS),
            venture__status__in=DATES_LIVE_STATUSES,
        )
        .order_by()
        .values(
            "pk",
            "deadline",
            "venture_id",
            fund_name=F("fund__name"),
            venture_name=F("venture__name"),
            seir_id=F("venture__seir_id"),
            programme_id=F("venture__programme_id"),
        )
    )
    kind = ReminderKind.FUNDING_DEADLINE
    for row in rows:
        # The team writes and submits the application; with no team, the SEiR.
        recipients = people.active(people.teams.get(row["venture_id"], ()))
        recipients = recipients or people.seirs(
            seir_id=row["seir_id"], programme_id=row["programme_id"]
        )
        for user_id in recipients:
            yield Due(
                key=f"{kind}:{row['pk']}:{row['deadline']:%Y-%m-%d}:{user_id}",
                recipient_id=user_id,
                kind=kind,
                text=(
                    f"{row['venture_name']}: the {row['fund_name']} application closes on "
                    f"{_day(row['deadline'])}"
                ),
                url=reverse("funding:venture", args=[row["venture_id"]]),
                due_on=row["deadline"],
                venture_id=row["venture_id"],
                programme_id=row["programme_id"],
            )


def _introductions(today: dt.date, people: _People) -> Iterable[Due]:
    rows = (
        Introduction.objects.filter(
            step__in=_AWAITING_ANSWER,
            step_on__lte=today - dt.timedelta(days=INTRODUCTION_WAIT_DAYS),
            venture__status__in=DATES_LIVE_STATUSES,
        )
        .order_by()
        .values(
            "pk",
            "step",
            "step_on",
            "venture_id",
            commissioner_name=F("commissioner__name"),
            venture_name=F("venture__name"),
            seir_id=F("venture__seir_id"),
            programme_id=F("venture__programme_id"),
        )
    )
    kind = ReminderKind.INTRODUCTION_WAITING
    for row in rows:
        days = (today - row["step_on"]).days
        for user_id in people.seirs(seir_id=row["seir_id"], programme_id=row["programme_id"]):
            yield Due(
                key=f"{kind}:{row['pk']}:{row['step']}:{row['step_on']:%Y-%m-%d}:{user_id}",
                recipient_id=user_id,
                kind=kind,
                text=(
                    f"{row['venture_name']}: {row['commissioner_name']} has not answered the "
                    f"introduction for {days} days"
                ),
                url=reverse("commissioning:introduction", args=[row["pk"]]),
                due_on=None,
                venture_id=row["venture_id"],
                programme_id=row["programme_id"],
            )


def _quiet_ventures(now: dt.datetime, people: _People) -> Iterable[Due]:
    """Active ventures with no activity for their programme's "quiet after" setting (the
    dashboard counts them by the same rule): one query for the settings, one for the
    ventures, whatever their number."""
    quiet = Q(pk__in=[])
    for programme_id, days in Programme.objects.values_list("pk", "quiet_after_days"):
        quiet |= Q(programme_id=programme_id, last__lt=more_than_days_ago(days, now))
    rows = (
        Venture.objects.filter(status=VentureStatus.ACTIVE)
        .annotate(last=Coalesce("last_activity_at", "created_at"))
        .filter(quiet)
        .order_by()
        .values("pk", "name", "seir_id", "programme_id", "last")
    )
    kind = ReminderKind.QUIET_VENTURE
    for row in rows:
        # The day in London (the database hands back UTC: 00:30 BST is the day before).
        last_day = timezone.localdate(row["last"])
        for user_id in people.seirs(seir_id=row["seir_id"], programme_id=row["programme_id"]):
            yield Due(
                # Keyed by the last activity: a venture that wakes up and falls quiet
                # again is a new reminder; one that stays quiet is reminded once.
                key=f"{kind}:{row['pk']}:{last_day:%Y-%m-%d}:{user_id}",
                recipient_id=user_id,
                kind=kind,
                text=f"{row['name']}: nothing has happened since {_day(last_day)}",
                url=reverse("ventures:detail", args=[row["pk"]]),
                due_on=None,
                venture_id=row["pk"],
                programme_id=row["programme_id"],
            )


def reminders_due(*, now: dt.datetime, today: dt.date) -> list[Due]:
    """Every reminder due at ``now``, sorted by key (so two racing runs insert in the same
    order and the second waits on the first instead of splitting a person's list)."""
    people = _people()
    found: dict[str, Due] = {}
    for source in (
        _checklist_items(today, people),
        _expiring_evidence(today, people),
        _followups(today, people),
        _funding_deadlines(today, people),
        _introductions(today, people),
        _quiet_ventures(now, people),
    ):
        for due in source:
            found[due.key] = due
    return [found[key] for key in sorted(found)]
