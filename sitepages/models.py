from django.conf import settings
from django.db import models


class SitePageKind(models.TextChoices):
    ACCESSIBILITY = "accessibility", "Accessibility statement"
    PRIVACY = "privacy", "Privacy notice"


class SitePage(models.Model):
    """One of the service's own public pages, its text in Markdown (rendered through the
    project's sanitiser, ``seir.markdown``). There is exactly one row per kind: seeded by
    a data migration, edited in the admin, never added or deleted there."""

    kind = models.CharField(max_length=20, choices=SitePageKind.choices, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(
        help_text=(
            "Markdown: ## for a heading, - for a list item, [text](https://…) for a link, "
            "a blank line between paragraphs. Images and raw HTML are not shown."
        )
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["kind"]

    def __str__(self):
        return self.title
