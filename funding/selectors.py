"""Reads for funding, with the caller's permissions already applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from accounts.models import Programme, User
from seir.prepared import attach, prepared
from ventures.models import Venture
from ventures.selectors import ventures_visible_to

from .models import ApplicationStatus, FundingApplication, FundingDocument

# Money counts as "applied for" once it has gone to the funder (drafts and withdrawn
# applications are not asks a funder is considering or has decided).
APPLIED = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.AWARDED,
    ApplicationStatus.DECLINED,
)
PENDING = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)
ZERO = Decimal("0.00")


@dataclass
class Totals:
    applied: Decimal = ZERO
    pending: Decimal = ZERO
    awarded: Decimal = ZERO
    applications: int = 0
    awards: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def _aggregates() -> dict:
    return {
        "applied": Sum("amount_requested", filter=Q(status__in=APPLIED)),
        "pending": Sum("amount_requested", filter=Q(status__in=PENDING)),
        "awarded": Sum("amount_awarded", filter=Q(status=ApplicationStatus.AWARDED)),
        "applications": Count("id"),
        "awards": Count("id", filter=Q(status=ApplicationStatus.AWARDED)),
    }


def _totals(row: dict) -> Totals:
    return Totals(
        applied=row["applied"] or ZERO,
        pending=row["pending"] or ZERO,
        awarded=row["awarded"] or ZERO,
        applications=row["applications"],
        awards=row["awards"],
    )


def applications_visible_to(*, user: User) -> QuerySet[FundingApplication]:
    return FundingApplication.objects.filter(venture__in=ventures_visible_to(user=user))


def application_list_for_venture(*, venture: Venture) -> list[FundingApplication]:
    """A venture's applications, newest first, each with its fund, its author, its
    uploaded documents (``document_files``, oldest first) and ``venture`` set to the one
    given (the caller has checked it is visible): two prepared queries, whatever the
    number."""
    applications = _venture_applications(venture.pk)
    for application in applications:
        application.venture = venture
    return attach(applications, _application_documents, by="application_id", name="document_files")


@prepared
def _venture_applications(venture_id):
    return (
        FundingApplication.objects.filter(venture_id=venture_id)
        .select_related("fund", "created_by")
        .order_by("-created_at", "-id")
    )


@prepared
def _application_documents(application_ids):
    return FundingDocument.objects.filter(application_id__in=application_ids).order_by(
        "uploaded_at", "id"
    )


def application_get(*, user: User, pk: int) -> FundingApplication | None:
    return (
        applications_visible_to(user=user)
        .select_related("fund", "venture", "venture__programme", "venture__stage")
        .filter(pk=pk)
        .first()
    )


def funding_totals_of(*, applications: list[FundingApplication]) -> Totals:
    """A venture's funding totals, worked out from its applications as the tab has read
    them (``application_list_for_venture``), rather than asked of the database again:
    the sums ``_aggregates`` makes for a programme, by the same statuses."""
    totals = Totals()
    for a in applications:
        totals.applications += 1
        if a.status in APPLIED:
            totals.applied += a.amount_requested
        if a.status in PENDING:
            totals.pending += a.amount_requested
        if a.status == ApplicationStatus.AWARDED:
            totals.awards += 1
            totals.awarded += a.amount_awarded or ZERO
    return totals


def funding_summary_for_programme(*, user: User, programme: Programme) -> dict:
    """Totals for the programme, and the same per fund and type (one query each)."""
    applications = applications_visible_to(user=user).filter(venture__programme=programme)
    overall = _totals(applications.aggregate(**_aggregates()))
    # Grouped by the fund itself: a fund's name is not unique (its code is), and two funds
    # of one name summed into one row.
    rows = list(
        applications.values("fund_id", "fund__name", "fund__funder", "fund__code", "funding_type")
        .annotate(**_aggregates())
        .order_by("fund__name", "fund_id", "funding_type")
    )
    funds_named: dict[str, dict[int, str]] = {}
    for row in rows:
        funds_named.setdefault(row["fund__name"], {})[row["fund_id"]] = row["fund__funder"]
    labels = dict(FundingApplication._meta.get_field("funding_type").flatchoices)
    by_fund = [
        {
            "fund": _fund_label(row, funds_named[row["fund__name"]]),
            "type": labels.get(row["funding_type"]),
            **vars(_totals(row)),
        }
        for row in rows
    ]
    return {"overall": overall, "by_fund": by_fund}


def _fund_label(row: dict, funders: dict[int, str]) -> str:
    """A fund's name in the summary; where other funds have the same name, with its funder
    (or its code, when the funder is the same too), so that no two rows read alike."""
    name = row["fund__name"]
    if len(funders) == 1:
        return name
    funder = row["fund__funder"]
    return (
        f"{name} ({funder})"
        if list(funders.values()).count(funder) == 1
        else f"{name} ({row['fund__code']})"
    )


def application_list_for_programme(
    *, user: User, programme: Programme, filters: dict | None = None
):
    """The programme's applications, filtered (a FilterSet applied here)."""
    from .filters import ApplicationFilter

    queryset = (
        applications_visible_to(user=user)
        .filter(venture__programme=programme)
        .select_related("fund", "venture")
        .order_by("-created_at", "-id")
    )
    return ApplicationFilter(filters or None, queryset=queryset)


def document_get(*, user: User, pk: int) -> FundingDocument | None:
    """A document of an application the user can see (the caller checks who may read it)."""
    return (
        FundingDocument.objects.filter(application__in=applications_visible_to(user=user), pk=pk)
        .select_related("application__venture")
        .first()
    )
