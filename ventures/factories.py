"""factory-boy factories for ventures (tests and seed_demo)."""

import factory
from factory.django import DjangoModelFactory

from accounts.factories import ProgrammeFactory

from . import stage_days
from .models import Origin, Stage, StageChange, TeamMembership, TeamRole, Venture


class VentureFactory(DjangoModelFactory):
    """A venture with its first stage-history row. Pass ``stage`` (or a ``stage_code``)."""

    class Meta:
        model = Venture
        skip_postgeneration_save = True

    class Params:
        stage_code = "idea"

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Venture {n}")
    summary = factory.Faker("sentence", nb_words=12, locale="en_GB")
    need = factory.Faker("sentence", nb_words=10, locale="en_GB")
    beneficiaries = "Local residents"
    area = factory.Faker("city", locale="en_GB")
    origin = Origin.COMMUNITY
    stage = factory.LazyAttribute(
        lambda o: Stage.objects.get(programme=o.programme, code=o.stage_code)
    )

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if not create:
            return
        if not obj.stage_changes.exists():
            at = extracted or obj.created_at
            # As venture_create does: the venture remembers when it entered its stage
            # (written with an UPDATE, so the forecast's day rows are recounted here: the
            # row it was counted in on creation, and the row of the day it entered).
            before = (obj.stage_id, stage_days.entered_day(obj.stage_entered_at))
            obj.stage_entered_at = at
            Venture.objects.filter(pk=obj.pk).update(stage_entered_at=at)
            stage_days.days_refresh(
                obj.programme_id, [before, (obj.stage_id, stage_days.entered_day(at))]
            )
            StageChange.objects.create(
                venture=obj,
                from_stage=None,
                to_stage=obj.stage,
                changed_by=obj.seir,
                changed_at=at,
                note="Venture added to the pipeline.",
            )

    @factory.post_generation
    def team(obj, create, extracted, **kwargs):
        if create and obj.lead_id:
            TeamMembership.objects.get_or_create(
                venture=obj, user=obj.lead, defaults={"role": TeamRole.LEAD}
            )
        for user in extracted or []:
            TeamMembership.objects.get_or_create(venture=obj, user=user)
