"""The SEiR's confirmations that a venture's "confirmed" gate conditions hold (imported
by ``ventures.models``, so ``from ventures.models import GateConfirmation`` keeps working)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class GateConfirmationQuerySet(models.QuerySet):
    def current(self):
        """Confirmations that still stand (neither withdrawn nor replaced)."""
        return self.filter(withdrawn_at__isnull=True)


class GateConfirmation(models.Model):
    """The SEiR's confirmation that a 'confirmed' gate condition holds for a venture.

    Never deleted: withdrawing one, or confirming again with new evidence, stamps
    ``withdrawn_at``/``withdrawn_by`` and keeps the row, so earlier evidence stays on
    record. Only current rows (``withdrawn_at`` empty) count towards the gate.
    """

    venture = models.ForeignKey(
        "ventures.Venture", on_delete=models.CASCADE, related_name="gate_confirmations"
    )
    condition = models.ForeignKey(
        "ventures.GateCondition", on_delete=models.CASCADE, related_name="confirmations"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField()
    evidence = models.TextField(blank=True, help_text="What shows it holds (a note or a link).")
    # Vouching for what a "covered" kind says is outstanding (e.g. required checklist items
    # not accepted) is an override: the SEiR's reason, and what was outstanding then.
    override_reason = models.TextField(blank=True)
    overridden = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = GateConfirmationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["venture", "condition"],
                condition=Q(withdrawn_at__isnull=True),
                name="unique_current_gate_confirmation",
            ),
        ]

    def __str__(self):
        return f"{self.venture}: {self.condition}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None
