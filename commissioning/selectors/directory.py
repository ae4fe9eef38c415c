"""Reads of the commissioning directory: commissioners, their priorities and the ventures
matching them, contract totals, and what unlinking an account from commissioners would
reach. Every query here already applies the caller's permissions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from accounts.models import Programme, ProgrammeMembership, User
from accounts.permissions import programme_ids_read_by, user_is_global_admin
from accounts.roles import Role
from seir.prepared import prepared
from ventures.models import Venture, VentureStatus
from ventures.selectors import ventures_visible_to

from .. import permissions
from ..models import (
    HELD_STATUSES,
    Commissioner,
    Contract,
    Introduction,
    Priority,
    ProcurementWindow,
    VentureFocus,
)

# --- commissioners and priorities -----------------------------------------------------


def commissioner_list(*, user: User) -> QuerySet[Commissioner]:
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


def commissioner_get(*, user: User, pk: int) -> Commissioner:
    commissioner = commissioner_list(user=user).filter(pk=pk).first()
    if commissioner is None:
        raise Http404("No such commissioner.")
    return commissioner


def _open_window(today: datetime.date):
    return ProcurementWindow.objects.filter(
        priority=OuterRef("pk"), opens__lte=today, closes__gte=today
    ).order_by("closes", "id")


def with_open_window(*, queryset: QuerySet[Priority], today: datetime.date) -> QuerySet[Priority]:
    window = _open_window(today)
    return queryset.annotate(
        window_open=Exists(window),
        window_closes=Subquery(window.values("closes")[:1]),
        window_route=Subquery(window.values("route")[:1]),
    )


def priority_list(*, user: User, commissioner: Commissioner | None = None) -> QuerySet[Priority]:
    if not permissions.can_use_commissioning(user):
        return Priority.objects.none()
    qs = Priority.objects.select_related("commissioner", "domain", "service_area")
    if commissioner is not None:
        qs = qs.filter(commissioner=commissioner)
    return with_open_window(queryset=qs, today=timezone.localdate()).order_by(
        "-window_open", "title", "id"
    )


def priority_get(*, user: User, pk: int) -> Priority:
    priority = priority_list(user=user).filter(pk=pk).first()
    if priority is None:
        raise Http404("No such priority.")
    return priority


_READ = object()


def priorities_matching_venture(
    *, venture: Venture, today: datetime.date | None = None, focus=_READ
) -> list[Priority]:
    """Active priorities with a window open ``today`` that share an Outcomes Framework
    domain or a service area with the venture's focus: one query, after the focus's
    two unless the caller has read it (``focus``: ``venture_focus``'s, or None for
    none)."""
    today = today or timezone.localdate()
    if focus is _READ:
        from .ventures import venture_focus

        focus = venture_focus(venture=venture)
    if focus is None:
        return []
    domains = {d.pk for d in focus.domain_list}
    areas = {a.pk for a in focus.area_list}
    if not domains and not areas:
        return []
    priorities = _open_priorities(sorted(domains), sorted(areas), today)
    for priority in priorities:
        priority.matches_domain = priority.domain_id in domains
        priority.matches_area = priority.service_area_id in areas
    return priorities


@prepared
def _open_priorities(domain_ids, area_ids, today):
    """``priorities_matching_venture``'s query, prepared (seir/prepared.py)."""
    return (
        with_open_window(
            queryset=Priority.objects.filter(is_active=True, commissioner__is_active=True)
            .filter(Q(domain_id__in=domain_ids) | Q(service_area_id__in=area_ids))
            .select_related("commissioner", "domain", "service_area"),
            today=today,
        )
        .filter(window_open=True)
        .order_by("window_closes", "title", "id")
    )


def ventures_matching_priority(*, user: User, priority: Priority) -> QuerySet[Venture]:
    """Active ventures ``user`` may see whose focus shares the priority's domain or area."""
    through_domains = VentureFocus.domains.through.objects.filter(
        venturefocus__venture=OuterRef("pk"), outcomedomain_id=priority.domain_id
    )
    through_areas = VentureFocus.service_areas.through.objects.filter(
        venturefocus__venture=OuterRef("pk"), servicearea_id=priority.service_area_id
    )
    return (
        ventures_visible_to(user=user)
        .filter(status=VentureStatus.ACTIVE)
        .annotate(matches_domain=Exists(through_domains), matches_area=Exists(through_areas))
        .filter(Q(matches_domain=True) | Q(matches_area=True))
        .select_related("stage", "programme", "seir")
        .order_by("name", "pk")
    )


# --- reports --------------------------------------------------------------------------


def contract_totals_by_programme(*, user: User) -> list[dict]:
    """Per programme the user may read: contracts, held (signed or live), and their value.
    One query; for reports and the dashboard."""
    qs = Contract.objects.all()
    if not user_is_global_admin(user):
        qs = qs.filter(venture__programme_id__in=programme_ids_read_by(user))
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
