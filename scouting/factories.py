"""factory-boy factories for scouting (tests). They write rows directly; the services
are what tests and demo data use when behaviour matters."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.factories import ProgrammeFactory

from .models import FollowUp, Idea, Meeting, MeetingType, Organisation, Person, Sector


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Sector.THIRD_SECTOR
    area = "Balsall Heath"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    organisation = None
    job_title = "Practice nurse"
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    held_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3))
    meeting_type = MeetingType.ONE_TO_ONE
    location = "Saheli Hub"

    @factory.post_generation
    def attendees(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.attendees.set(extracted)

    @factory.post_generation
    def organisations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.organisations.set(extracted)


class IdeaFactory(DjangoModelFactory):
    class Meta:
        model = Idea
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Idea {n}")
    description = "A community-run service."

    @factory.post_generation
    def source_meetings(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.source_meetings.set(extracted)

    @factory.post_generation
    def proposers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.proposers.set(extracted)


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    programme = factory.SubFactory(ProgrammeFactory)
    what = factory.Sequence(lambda n: f"Send the notes {n}")
    due = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=7))
