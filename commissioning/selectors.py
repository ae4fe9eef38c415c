"""Reads. Every query here already applies the caller's permissions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from accounts.models import Programme, ProgrammeMembership, User
from accounts.roles import Role
from accounts.selectors import user_is_global_admin, user_programme_ids
from seir.paging import ids_of_each
from ventures.models import Venture, VentureStatus
from ventures.permissions import READ_ROLES
from ventures.selectors import ventures_visible_to

from . import permissions
from .filters import IntroductionFilter
from .models import (
    FINAL_STEPS,
    HELD_STATUSES,
    STEPS_NEEDING_DATES,
    SUCCESS_STEPS,
    Commissioner,
    Contract,
    Introduction,
    IntroductionStep,
    Priority,
    ProcurementWindow,
    ProposedMeetingDate,
    Step,
    SupportReferral,
    VentureFocus,
)

PIPELINE_COLUMN_SIZE = 10


def _introductions(user: User) -> QuerySet[Introduction]:
    return Introduction.objects.filter(permissions.introductions_visible_q(user)).select_related(
        "venture", "venture__programme", "contact", "commissioner", "priority", "made_by"
    )


def introduction_filter(user: User, data) -> IntroductionFilter:
    """The introductions ``user`` may see, filtered by ``data`` (a GET QueryDict)."""
    base = _introductions(user)
    return IntroductionFilter(data or None, queryset=base, user=user, base=base)


def introduction_rows(introduction_filter: IntroductionFilter) -> QuerySet[Introduction]:
    return introduction_filter.qs.order_by("-made_on", "-id")


@dataclass
class PipelineColumn:
    step: Step
    count: int = 0
    items: list[Introduction] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def introduction_pipeline(introduction_filter: IntroductionFilter) -> list[PipelineColumn]:
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


def introduction_get(user: User, pk: int) -> Introduction:
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


def introduction_history(introduction: Introduction):
    """The introduction's steps, oldest first, each with the meeting dates it proposed."""
    return (
        introduction.steps.select_related("changed_by")
        .prefetch_related("proposed_dates")
        .order_by("changed_at", "id")
    )


def introduction_meeting_dates(introduction: Introduction) -> list[datetime.date]:
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


def referral_ledger(introduction_filter: IntroductionFilter) -> list[LedgerRow]:
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


# --- commissioners and priorities -----------------------------------------------------


def commissioner_list(user: User) -> QuerySet[Commissioner]:
    if not permissions.can_use_commissioning(user):
        return Commissioner.objects.none()
    return (
        Commissioner.objects.select_related("organisation_type")
        .prefetch_related("service_areas")
        .annotate(
            priority_count=Count("priorities", filter=Q(priorities__is_active=True), distinct=True),
            contact_count=Count("contacts", filter=Q(contacts__is_active=True), distinct=True),
        )
        .order_by("name")
    )


def commissioner_get(user: User, pk: int) -> Commissioner:
    commissioner = commissioner_list(user).filter(pk=pk).first()
    if commissioner is None:
        raise Http404("No such commissioner.")
    return commissioner


def _open_window(today: datetime.date):
    return ProcurementWindow.objects.filter(
        priority=OuterRef("pk"), opens__lte=today, closes__gte=today
    ).order_by("closes", "id")


def with_open_window(queryset: QuerySet[Priority], today: datetime.date) -> QuerySet[Priority]:
    window = _open_window(today)
    return queryset.annotate(
        window_open=Exists(window),
        window_closes=Subquery(window.values("closes")[:1]),
        window_route=Subquery(window.values("route")[:1]),
    )


def priority_list(user: User, *, commissioner: Commissioner | None = None) -> QuerySet[Priority]:
    if not permissions.can_use_commissioning(user):
        return Priority.objects.none()
    qs = Priority.objects.select_related("commissioner", "domain", "service_area")
    if commissioner is not None:
        qs = qs.filter(commissioner=commissioner)
    return with_open_window(qs, timezone.localdate()).order_by("-window_open", "title", "id")


def priority_get(user: User, pk: int) -> Priority:
    priority = priority_list(user).filter(pk=pk).first()
    if priority is None:
        raise Http404("No such priority.")
    return priority


def priorities_matching_venture(
    venture: Venture, *, today: datetime.date | None = None
) -> list[Priority]:
    """Active priorities with a window open ``today`` that share an Outcomes Framework
    domain or a service area with the venture's focus. Two queries."""
    today = today or timezone.localdate()
    focus = (
        VentureFocus.objects.filter(venture=venture)
        .prefetch_related("domains", "service_areas")
        .first()
    )
    if focus is None:
        return []
    domains = {d.pk for d in focus.domains.all()}
    areas = {a.pk for a in focus.service_areas.all()}
    if not domains and not areas:
        return []
    priorities = list(
        with_open_window(
            Priority.objects.filter(is_active=True, commissioner__is_active=True)
            .filter(Q(domain_id__in=domains) | Q(service_area_id__in=areas))
            .select_related("commissioner", "domain", "service_area"),
            today,
        )
        .filter(window_open=True)
        .order_by("window_closes", "title", "id")
    )
    for priority in priorities:
        priority.matches_domain = priority.domain_id in domains
        priority.matches_area = priority.service_area_id in areas
    return priorities


def ventures_matching_priority(user: User, priority: Priority) -> QuerySet[Venture]:
    """Active ventures ``user`` may see whose focus shares the priority's domain or area."""
    through_domains = VentureFocus.domains.through.objects.filter(
        venturefocus__venture=OuterRef("pk"), outcomedomain_id=priority.domain_id
    )
    through_areas = VentureFocus.service_areas.through.objects.filter(
        venturefocus__venture=OuterRef("pk"), servicearea_id=priority.service_area_id
    )
    return (
        ventures_visible_to(user)
        .filter(status=VentureStatus.ACTIVE)
        .annotate(matches_domain=Exists(through_domains), matches_area=Exists(through_areas))
        .filter(Q(matches_domain=True) | Q(matches_area=True))
        .select_related("stage", "programme", "seir")
        .order_by("name", "pk")
    )


# --- a venture's commissioning records ------------------------------------------------


def venture_focus(venture: Venture) -> VentureFocus | None:
    return (
        VentureFocus.objects.filter(venture=venture)
        .prefetch_related("domains", "service_areas")
        .first()
    )


def venture_introductions(venture: Venture) -> QuerySet[Introduction]:
    return (
        Introduction.objects.filter(venture=venture)
        .select_related("contact", "commissioner", "priority", "made_by")
        .order_by("-made_on", "-id")
    )


def venture_contracts(venture: Venture) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(venture=venture)
        .select_related("commissioner")
        .order_by("-start_date", "-id")
    )


def venture_referrals(venture: Venture) -> QuerySet[SupportReferral]:
    return (
        SupportReferral.objects.filter(venture=venture)
        .select_related("provider", "provider__support_type", "made_by")
        .order_by("-made_on", "-id")
    )


def contract_get(user: User, pk: int) -> Contract:
    contract = (
        Contract.objects.select_related(
            "venture", "venture__programme", "commissioner", "introduction"
        )
        .filter(pk=pk)
        .first()
    )
    if contract is None or not permissions.sees_venture_records(user, contract.venture):
        raise Http404("No such contract.")
    return contract


def referral_get(user: User, pk: int) -> SupportReferral:
    referral = (
        SupportReferral.objects.select_related(
            "venture", "provider", "provider__support_type", "made_by"
        )
        .filter(pk=pk)
        .first()
    )
    if referral is None or not permissions.can_view_referral(user, referral):
        raise Http404("No such referral.")
    return referral


# --- reports --------------------------------------------------------------------------


def contract_totals_by_programme(user: User) -> list[dict]:
    """Per programme the user may read: contracts, held (signed or live), and their value.
    One query; for reports and the dashboard."""
    qs = Contract.objects.all()
    if not user_is_global_admin(user):
        qs = qs.filter(venture__programme_id__in=user_programme_ids(user, READ_ROLES))
    held = Q(status__in=HELD_STATUSES)
    return list(
        qs.order_by()
        .values("venture__programme_id", "venture__programme__name")
        .annotate(
            contracts=Count("id"),
            held=Count("id", filter=held),
            total_value=Sum("value"),
            held_value=Sum("value", filter=held),
        )
        .order_by("venture__programme__name")
    )


@dataclass(frozen=True)
class AccountUnlink:
    """What taking ``user``'s Commissioner role in a programme away does to their links.

    ``organisations``: the commissioner organisations their account leaves (as a member
    and as a linked contact), by name; ``kept``: those it stays linked to;
    ``everywhere``: they hold the Commissioner role in no other programme, so every link
    goes."""

    organisations: list[Commissioner]
    kept: list[Commissioner]
    everywhere: bool


def commissioner_account_unlink_scope(*, user: User, programme: Programme) -> AccountUnlink:
    """The rule for ending a commissioner's access when their role in ``programme`` goes.

    Organisations are not tied to one programme, and an account linked to one sees every
    introduction addressed to it, in any programme (``permissions.commissioner_ids_for``).
    So, revoking at once and everywhere:

    - if ``user`` keeps the Commissioner role in no other programme, their account leaves
      every organisation (a link without the role is no longer wanted by anyone who
      could have granted it);
    - otherwise it leaves every organisation with an introduction in ``programme``
      (whatever its step: those are the introductions they could see here), and stays
      linked to the organisations that reach only other programmes, where they keep
      their role.

    The contacts (the people records) stay in the directory: only the account link goes.
    """
    linked = (
        Commissioner.objects.filter(Q(members=user) | Q(contacts__user=user))
        .distinct()
        .order_by("name")
    )
    keeps_role = (
        ProgrammeMembership.objects.filter(user=user, role=Role.COMMISSIONER)
        .exclude(programme=programme)
        .exists()
    )
    if not keeps_role:
        return AccountUnlink(organisations=list(linked), kept=[], everywhere=True)
    reaching = Introduction.objects.filter(
        commissioner=OuterRef("pk"), venture__programme=programme
    )
    organisations, kept = [], []
    for organisation in linked.annotate(reaches=Exists(reaching)):
        (organisations if organisation.reaches else kept).append(organisation)
    return AccountUnlink(organisations=organisations, kept=kept, everywhere=False)
