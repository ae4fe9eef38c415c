"""Contracts won by ventures, with their status machine as data. A contract's history is
its events (``selectors.contract_history``)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from seir.transitions import Transitions

from .organisations import MONEY_VALIDATORS, Commissioner
from .referrals import Introduction


class ContractStatus(models.TextChoices):
    NEGOTIATING = "negotiating", "Negotiating"
    SIGNED = "signed", "Signed"
    LIVE = "live", "Live"
    ENDED = "ended", "Ended"


CONTRACT_TRANSITIONS = Transitions(
    {
        ContractStatus.NEGOTIATING: (ContractStatus.SIGNED, ContractStatus.ENDED),
        ContractStatus.SIGNED: (ContractStatus.LIVE, ContractStatus.ENDED),
        ContractStatus.LIVE: (ContractStatus.ENDED,),
        ContractStatus.ENDED: (),
    },
    labels=ContractStatus,
)
# A venture "has a contract" (the gate condition) while one of its contracts is in these.
HELD_STATUSES = (ContractStatus.SIGNED, ContractStatus.LIVE)

CONTRACT_VALUE_REFUSAL = "Enter the contract's value: more than £0."


def validate_contract_value(value: Decimal) -> None:
    """A contract worth £0 is no contract, yet it counted as one in the ledger and on the
    dashboard. The form and ``contract_record`` both ask this; it is no database
    constraint, so rows recorded before the rule (£0 ones included) stay as they are."""
    if value <= 0:
        raise ValidationError(CONTRACT_VALUE_REFUSAL, code="min_value")


class Contract(models.Model):
    venture = models.ForeignKey("ventures.Venture", on_delete=models.CASCADE, related_name="+")
    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="contracts"
    )
    introduction = models.ForeignKey(
        Introduction, on_delete=models.SET_NULL, null=True, blank=True, related_name="contracts"
    )
    service = models.CharField(max_length=200)
    value = models.DecimalField(
        "value (£)", max_digits=11, decimal_places=2, validators=MONEY_VALIDATORS
    )
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=ContractStatus.choices, default=ContractStatus.NEGOTIATING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["venture", "status"]),
            # The dashboard's week strip: contracts recorded in the last seven days.
            models.Index(fields=["created_at"], name="contract_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="contract_ends_after_start",
                violation_error_message="The end date must be after the start date.",
            ),
        ]

    def __str__(self):
        return f"{self.service} — {self.venture} for {self.commissioner}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": "The end date must be after the start date."})

    def next_statuses(self) -> list[ContractStatus]:
        return [ContractStatus(s) for s in CONTRACT_TRANSITIONS.targets(self.status)]


class ContractDay(models.Model):
    """Contracts per programme, start date and current status, with their value, kept by
    every write in the same transaction (``commissioning.tallies``), so the dashboard
    sums a period's contracts by status from day rows instead of joining every contract
    of the period to its venture. Whole programme only: the rows do not split by SEiR."""

    programme = models.ForeignKey("accounts.Programme", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()  # the contracts' start date
    status = models.CharField(max_length=20, choices=ContractStatus.choices)
    contracts = models.PositiveIntegerField(default=0)
    value = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "day", "status"], name="contract_day_once")
        ]

    def __str__(self):
        return f"{self.day}: {self.contracts} {self.status}, £{self.value}"
