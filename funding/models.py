from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from seir.transitions import Transitions
from ventures.models import Venture

# Bounds that keep hostile numbers out (a form error, never a database error).
MAX_AMOUNT = Decimal("99999999.99")  # £100m less a penny: above any fund here
MONEY = {"max_digits": 10, "decimal_places": 2}


class FundingType(models.TextChoices):
    GRANT = "grant", "Grant"
    LOAN = "loan", "Loan"
    EQUITY_LIKE = "equity_like", "Equity-like"


class Fund(models.Model):
    """Reference data: a fund ventures apply to (SEIF, RIF, ...), editable in the admin."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    funder = models.CharField(max_length=200)
    funding_type = models.CharField("type", max_length=20, choices=FundingType.choices)
    maximum = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)],
        help_text="The most one application can receive, in pounds (blank: no set maximum).",
    )
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True)
                | Q(opens_on__isnull=True)
                | Q(closes_on__gte=models.F("opens_on")),
                name="fund_closes_after_opening",
                violation_error_message="A fund cannot close before it opens.",
            )
        ]

    def __str__(self):
        return self.name if self.is_active else f"{self.name} (retired)"


class ApplicationStatus(models.TextChoices):
    DRAFTING = "drafting", "Drafting"
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    AWARDED = "awarded", "Awarded"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The lifecycle as data: status -> statuses it may move to.
APPLICATION_TRANSITIONS = Transitions(
    {
        ApplicationStatus.DRAFTING: (ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN),
        ApplicationStatus.SUBMITTED: (
            ApplicationStatus.UNDER_REVIEW,
            ApplicationStatus.AWARDED,
            ApplicationStatus.DECLINED,
            ApplicationStatus.WITHDRAWN,
        ),
        ApplicationStatus.UNDER_REVIEW: (
            ApplicationStatus.AWARDED,
            ApplicationStatus.DECLINED,
            ApplicationStatus.WITHDRAWN,
        ),
        ApplicationStatus.AWARDED: (),
        ApplicationStatus.DECLINED: (),
        ApplicationStatus.WITHDRAWN: (),
    },
    labels=ApplicationStatus,
)
# Statuses that close an application with the funder's decision (need a decision date).
DECISIONS = frozenset({ApplicationStatus.AWARDED, ApplicationStatus.DECLINED})
# While drafting, the team may still change what the application asks for.
EDITABLE_STATUSES = frozenset({ApplicationStatus.DRAFTING})


class FundingApplication(models.Model):
    venture = models.ForeignKey(
        Venture, on_delete=models.CASCADE, related_name="funding_applications"
    )
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="applications")
    funding_type = models.CharField("type", max_length=20, choices=FundingType.choices)
    purpose = models.CharField("what the money is for", max_length=300)
    amount_requested = models.DecimalField(
        **MONEY, validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)]
    )
    amount_awarded = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)],
    )
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFTING
    )
    deadline = models.DateField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    documents = models.TextField(
        blank=True,
        help_text="Links to the application documents, one per line.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: a save names the version it started from.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["venture", "status"]),
            models.Index(fields=["fund", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_awarded__isnull=True) | Q(status=ApplicationStatus.AWARDED),
                name="funding_awarded_amount_only_when_awarded",
            ),
        ]

    def __str__(self):
        return f"{self.fund.name}: £{self.amount_requested:,.2f}"

    @property
    def is_open(self) -> bool:
        return bool(APPLICATION_TRANSITIONS.targets(self.status))

    @property
    def document_links(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]


class FundingDocument(models.Model):
    """A file attached to an application (the bid, a budget, a decision letter). Stored
    privately under a random name and served only through a permission-checked view;
    never deleted, so the application keeps its paper trail."""

    application = models.ForeignKey(
        FundingApplication, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "sha256"], name="funding_document_once_per_application"
            )
        ]

    def __str__(self):
        return self.original_name
