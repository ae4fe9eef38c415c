"""Reference data an administrator edits: organisation types, service areas, the NHS
Outcomes Framework domains and the kinds of professional support (seeded by migration)."""

from django.db import models


class ReferenceData(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class OrganisationType(ReferenceData):
    """PCT / integrated care board, practice-based commissioning group, local authority..."""

    class Meta(ReferenceData.Meta):
        pass


class ServiceArea(ReferenceData):
    """What a commissioner buys: mental health, long-term conditions, public health..."""

    class Meta(ReferenceData.Meta):
        pass


class OutcomeDomain(ReferenceData):
    """One of the five NHS Outcomes Framework domains."""

    number = models.PositiveSmallIntegerField(unique=True)

    class Meta(ReferenceData.Meta):
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"


class SupportType(ReferenceData):
    """Legal, accounting, marketing, due diligence, mentoring, finance..."""

    class Meta(ReferenceData.Meta):
        pass
