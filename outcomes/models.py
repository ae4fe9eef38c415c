from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ventures.models import Venture

# Bounds that keep hostile numbers out (a form error, never a database error).
LIMIT = Decimal("9999999999.99")
VALUE = {
    "max_digits": 12,
    "decimal_places": 2,
    "validators": [MinValueValidator(-LIMIT), MaxValueValidator(LIMIT)],
}


class OutcomeDomain(models.Model):
    """Reference data: the NHS Outcomes Framework domains (seeded; editable in the admin)."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        label = f"{self.number}. {self.name}"
        return label if self.is_active else f"{label} (retired)"


class Direction(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"


class Indicator(models.Model):
    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="indicators")
    domain = models.ForeignKey(
        OutcomeDomain,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name="Outcomes Framework domain",
    )
    name = models.CharField(max_length=200, help_text="For example, people served.")
    unit = models.CharField(max_length=40, help_text="For example, people, admissions, score.")
    baseline = models.DecimalField(**VALUE)
    target = models.DecimalField(**VALUE)
    direction = models.CharField(
        "direction of good", max_length=4, choices=Direction.choices, default=Direction.UP
    )
    description = models.TextField(blank=True)
    shared_with_commissioners = models.BooleanField(
        "Share with commissioners we are introduced to",
        default=False,
        help_text="Its name, unit, baseline, target and latest measurement are shown on the "
        "venture's profile to a commissioner while an introduction to them is open.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain__number", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["venture", "name"], name="unique_indicator_name"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # A target on the worse side of the baseline reads as "reached" from the first
        # measurement, however bad (most often: "lower is better" left at its default).
        if self.baseline is None or self.target is None or self.direction not in Direction.values:
            return  # already refused beside its own field
        worse = (
            self.target > self.baseline
            if self.direction == Direction.DOWN
            else self.target < self.baseline
        )
        if worse:
            side = "above" if self.direction == Direction.DOWN else "below"
            other = Direction.UP if self.direction == Direction.DOWN else Direction.DOWN
            raise ValidationError(
                {
                    "target": f"With “{Direction(self.direction).label}” the target must not "
                    f"be {side} the baseline. Check the figures, or choose “{other.label}”."
                }
            )


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField("date")
    value = models.DecimalField(**VALUE)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measured_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="one_measurement_per_date"
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} on {self.measured_on}"
