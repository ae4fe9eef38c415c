"""The forecast's candidates as day rows (imported by ``ventures.models``, so
``from ventures.models import StageDay`` works)."""

from django.db import models


class StageDay(models.Model):
    """The programme's active ventures that do not yet count towards its target, by the
    stage they are in and the day (in the programme's time zone) they entered it: the
    candidates of the dashboard's forecast, kept by every write in the same transaction
    (``ventures.stage_days``), so the forecast sums a few hundred rows instead of reading
    every venture. Ventures in the same stage since the same day have the same chance.
    ``day`` is empty for a venture whose entry into its stage is not recorded. Whole
    programme only: the rows do not split by SEiR."""

    programme = models.ForeignKey("accounts.Programme", on_delete=models.CASCADE, related_name="+")
    stage = models.ForeignKey("ventures.Stage", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(null=True)
    ventures = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "stage", "day"], name="stage_day_once")
        ]

    def __str__(self):
        return f"{self.day}: {self.ventures} in stage {self.stage_id}"
