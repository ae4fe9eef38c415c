"""Reads of introductions: the filtered list and its pipeline columns, one introduction
with its history and proposed meeting dates, and the referral ledger. Every query here
already applies the caller's permissions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import User
from seir.paging import ids_of_each

from .. import permissions
from ..filters import IntroductionFilter
from ..models import (
    FINAL_STEPS,
    STEPS_NEEDING_DATES,
    SUCCESS_STEPS,
    Introduction,
    IntroductionStep,
    ProposedMeetingDate,
    Step,
)

PIPELINE_COLUMN_SIZE = 10


def _introductions(user: User) -> QuerySet[Introduction]:
    return Introduction.objects.filter(permissions.introductions_visible_q(user)).select_related(
        "venture", "venture__programme", "contact", "commissioner", "priority", "made_by"
    )


def introduction_filter(*, user: User, data) -> IntroductionFilter:
    """The introductions ``user`` may see, filtered by ``data`` (a GET QueryDict)."""
    base = _introductions(user)
    return IntroductionFilter(data or None, queryset=base, user=user, base=base)


def introduction_rows(*, introduction_filter: IntroductionFilter) -> QuerySet[Introduction]:
    return introduction_filter.qs.order_by("-made_on", "-id")


@dataclass
class PipelineColumn:
    step: Step
    count: int = 0
    items: list[Introduction] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def introduction_pipeline(*, introduction_filter: IntroductionFilter) -> list[PipelineColumn]:
    """One column per step: the count and the latest introductions. Two queries, whatever
    the data size (a windowed query keeps each column's first rows)."""
    qs = introduction_filter.qs
    columns = {step: PipelineColumn(step=Step(step)) for step in Step.values}
    for step, count in qs.order_by().values_list("step").annotate(n=Count("id")):
        columns[step].count = count
    # Each column's latest ids by its own index walk, all in one round trip: a window
    # over every introduction ranked them all to keep ten (issue 8).
    ids = ids_of_each(
        [qs.filter(step=step).order_by("-step_on", "-id") for step in columns],
        0,
        PIPELINE_COLUMN_SIZE,
    )
    for introduction in qs.filter(pk__in=ids).order_by("-step_on", "-id"):
        columns[introduction.step].items.append(introduction)
    return list(columns.values())


def introduction_get(*, user: User, pk: int) -> Introduction:
    """One introduction ``user`` may open, else 404: the programme's staff and managers,
    the addressed commissioner, and the venture's own team (the Commissioning tab links
    each of its introductions here)."""
    visible = permissions.introductions_visible_q(user)
    if user.is_authenticated:
        visible |= Q(venture__team__user=user)
    introduction = (
        Introduction.objects.filter(visible, pk=pk)
        .select_related(
            "venture", "venture__programme", "contact", "commissioner", "priority", "made_by"
        )
        .first()
    )
    if introduction is None or not permissions.can_view_introduction(user, introduction):
        raise Http404("No such introduction.")
    return introduction


def introduction_history(*, introduction: Introduction):
    """The introduction's steps, oldest first, each with the meeting dates it proposed."""
    return (
        introduction.steps.select_related("changed_by")
        .prefetch_related("proposed_dates")
        .order_by("changed_at", "id")
    )


def introduction_meeting_dates(*, introduction: Introduction) -> list[datetime.date]:
    """The dates proposed when the introduction last moved to "Meeting agreed" (none if it
    never did): what the SEiR arranges the meeting from."""
    return list(
        ProposedMeetingDate.objects.filter(
            step__introduction=introduction,
            step=IntroductionStep.objects.filter(
                introduction=introduction, to_step__in=STEPS_NEEDING_DATES
            )
            .order_by("-changed_at", "-id")
            .values("id")[:1],
        )
        .order_by("on")
        .values_list("on", flat=True)
    )


def meeting_dates_by_introduction(
    *,
    introductions: QuerySet[Introduction],
) -> dict[int, list[datetime.date]]:
    """{introduction id: the dates proposed when it last moved to "Meeting agreed"} for
    every introduction of ``introductions`` that has any: one query, for the CSV."""
    latest: dict[int, tuple[int, list[datetime.date]]] = {}
    for introduction_id, step_id, day in (
        ProposedMeetingDate.objects.filter(step__introduction__in=introductions.values("pk"))
        .order_by("step__introduction_id", "-step__changed_at", "-step_id", "on")
        .values_list("step__introduction_id", "step_id", "on")
    ):
        step, days = latest.setdefault(introduction_id, (step_id, []))
        if step == step_id:
            days.append(day)
    return {pk: days for pk, (_, days) in latest.items()}


@dataclass
class LedgerRow:
    person: str
    user_id: int
    total: int = 0
    open: int = 0
    by_step: dict = field(default_factory=dict)

    @property
    def contracts(self) -> int:
        return sum(self.by_step.get(s, 0) for s in SUCCESS_STEPS)


def referral_ledger(*, introduction_filter: IntroductionFilter) -> list[LedgerRow]:
    """Introductions per person who made them, by outcome (one query)."""
    rows: dict[int, LedgerRow] = {}
    for made_by, first, last, username, step, count in (
        introduction_filter.qs.order_by()
        .values_list(
            "made_by_id", "made_by__first_name", "made_by__last_name", "made_by__username", "step"
        )
        .annotate(n=Count("id"))
    ):
        row = rows.setdefault(
            made_by, LedgerRow(person=f"{first} {last}".strip() or username, user_id=made_by)
        )
        row.by_step[step] = count
        row.total += count
        if step not in FINAL_STEPS:
            row.open += count
    return sorted(rows.values(), key=lambda r: (-r.total, r.person))
