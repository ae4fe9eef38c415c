"""The erasure log: which records were erased, and when. No personal data.

One row per erased record, written in the erasure's own transaction (so a rolled-back
erasure leaves no entry and a committed one always has its entry), mirrored to an
append-only file under the var directory after commit (``SEIR_ERASURE_LOG``), which a
database restore never touches. A restore gathers both before it replaces the database,
writes them back, and re-applies every erasure (``backups.erasure``).
"""

from __future__ import annotations

from django.db import models


class ErasureRecord(models.Model):
    # "app_label.model_name" of the erased record, e.g. "scouting.person".
    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=40)
    # Records that were merged into the erased one before it was erased (deleted by then,
    # but an older backup still holds them): a restore erases them too.
    related_ids = models.JSONField(default=list, blank=True)
    erased_at = models.DateTimeField()

    class Meta:
        ordering = ["erased_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id"], name="erasure_once_per_record")
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} erased {self.erased_at:%Y-%m-%d %H:%M}"
