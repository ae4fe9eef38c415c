"""Who has read what: one row per person and thing, for any app's things.

A later notification (the feedback on a plan, a reply, a returned checklist item) asks
"has this person read it?" here rather than keeping its own flag.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Read(models.Model):
    """``user`` has read the thing (``content_type``, ``object_id``), first at ``read_at``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    thing = GenericForeignKey("content_type", "object_id")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            # Also the index the selector walks: (user, type) then the ids asked about.
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="inbox_read_once"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} read {self.content_type_id}:{self.object_id}"
