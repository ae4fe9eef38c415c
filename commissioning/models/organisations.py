"""Commissioners, their named contacts, their priorities and procurement windows."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from .reference import OrganisationType, OutcomeDomain, ServiceArea

# Indicative budgets and contract values: pounds and pence, up to a billion.
MAX_MONEY = Decimal("999999999.99")
MONEY_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_MONEY)]


class Commissioner(models.Model):
    name = models.CharField(max_length=200, unique=True)
    organisation_type = models.ForeignKey(OrganisationType, on_delete=models.PROTECT)
    service_areas = models.ManyToManyField(ServiceArea, blank=True, related_name="commissioners")
    area = models.CharField(max_length=200, blank=True, help_text="Where it commissions.")
    notes = models.TextField(blank=True)
    # People who act for the organisation in the application (besides linked contacts).
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="commissioner_organisations"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("commissioning:commissioner", args=[self.pk])


class Contact(models.Model):
    """A named person at a commissioner, optionally with a user account to respond."""

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commissioner_contacts",
        help_text="The contact's account, if they sign in to respond to introductions.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["commissioner", "name"]

    def __str__(self):
        return f"{self.name} ({self.commissioner})"


class Priority(models.Model):
    """A commissioning intention: what the commissioner wants to buy, and roughly for how much."""

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.CASCADE, related_name="priorities"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    domain = models.ForeignKey(
        OutcomeDomain, on_delete=models.PROTECT, verbose_name="Outcomes Framework domain"
    )
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, null=True, blank=True, related_name="priorities"
    )
    budget = models.DecimalField(
        "indicative budget (£)",
        max_digits=11,
        decimal_places=2,
        null=True,
        blank=True,
        validators=MONEY_VALIDATORS,
    )
    period_start = models.DateField()
    period_end = models.DateField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["commissioner", "title"]
        verbose_name_plural = "priorities"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")),
                name="priority_period_ends_after_start",
                violation_error_message="The period must end after it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.commissioner})"

    def get_absolute_url(self):
        return reverse("commissioning:priority", args=[self.pk])

    def clean(self):
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            raise ValidationError({"period_end": "The period must end after it starts."})


class ProcurementRoute(models.TextChoices):
    GRANT = "grant", "Grant"
    PILOT = "pilot", "Pilot"
    TENDER = "tender", "Tender"
    FRAMEWORK = "framework", "Qualified-provider framework"


class ProcurementWindow(models.Model):
    """When the commissioner buys against a priority, and how."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="windows")
    opens = models.DateField()
    closes = models.DateField()
    route = models.CharField(max_length=20, choices=ProcurementRoute.choices)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["opens", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gte=F("opens")),
                name="window_closes_after_opening",
                violation_error_message="A window cannot close before it opens.",
            ),
        ]

    def __str__(self):
        return f"{self.get_route_display()} {self.opens:%d %b %Y}–{self.closes:%d %b %Y}"

    def clean(self):
        if self.opens and self.closes and self.closes < self.opens:
            raise ValidationError({"closes": "A window cannot close before it opens."})

    def is_open_on(self, day) -> bool:
        return self.opens <= day <= self.closes


class VentureFocus(models.Model):
    """What a venture works on, for matching it to priorities (kept here, not in ventures)."""

    venture = models.OneToOneField(
        "ventures.Venture", on_delete=models.CASCADE, related_name="commissioning_focus"
    )
    domains = models.ManyToManyField(OutcomeDomain, blank=True, related_name="+")
    service_areas = models.ManyToManyField(ServiceArea, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "venture focuses"

    def __str__(self):
        return f"Focus of {self.venture}"
