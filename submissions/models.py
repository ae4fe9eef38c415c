from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class SubmissionToken(models.Model):
    """One rendered create form, saved once.

    Every create form carries a fresh token; the first POST records it in the same
    transaction as what it creates, so a second POST of the same form (a double click,
    a resubmitted page, two tabs) finds the token and creates nothing.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    created_at = models.DateTimeField(db_index=True)
    # What the first POST created, if it created a row.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    # Kept past the keeping period: the form's draft is kept on the person's device and
    # can be restored onto a fresh page and sent again at any time (the meeting log).
    kept = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="unique_submission_token"),
        ]

    def __str__(self):
        return f"{self.token} by {self.user_id}"
