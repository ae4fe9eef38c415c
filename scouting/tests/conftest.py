"""Fixtures for the scouting tests: one programme with a person in every role, and a
second programme whose SEiR must never see the first one's scouting data."""

from __future__ import annotations

import pytest

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from events.models import Event
from scouting.factories import OrganisationFactory, PersonFactory
from scouting.models import (
    FollowUp,
    Idea,
    Meeting,
    MeetingDraft,
    MergeRecord,
    NotDuplicate,
    Organisation,
    Person,
    Sector,
    TalentNote,
)


@pytest.fixture
def programme():
    return ProgrammeFactory(name="Birmingham East and North SEiR programme")


@pytest.fixture
def other_programme():
    return ProgrammeFactory(name="Solihull Council SEiR programme")


@pytest.fixture
def seir(programme):
    return member(programme, Role.SEIR, username="seir", first_name="Samira", last_name="Patel")


@pytest.fixture
def administrator(programme):
    return member(
        programme, Role.ADMINISTRATOR, username="admin", first_name="Ada", last_name="Admin"
    )


@pytest.fixture
def other_seir(other_programme):
    return member(other_programme, Role.SEIR, username="other-seir", first_name="Owen")


@pytest.fixture
def manager(programme):
    return member(programme, Role.MANAGER, username="manager", first_name="Michael")


@pytest.fixture
def commissioner(programme):
    return member(programme, Role.COMMISSIONER, username="commissioner", first_name="Claire")


@pytest.fixture
def entrepreneur(programme):
    return member(programme, Role.ENTREPRENEUR, username="parveen", first_name="Parveen")


@pytest.fixture
def saheli(programme):
    return OrganisationFactory(
        programme=programme, name="Saheli Women's Group", sector=Sector.COMMUNITY_GROUP
    )


@pytest.fixture
def surgery(programme):
    return OrganisationFactory(
        programme=programme, name="Balsall Heath Surgery", sector=Sector.GP_PRACTICE
    )


@pytest.fixture
def nadia(programme, saheli):
    return PersonFactory(
        programme=programme,
        name="Nadia Hussain",
        organisation=saheli,
        email="nadia@saheli.org.uk",
        job_title="Coordinator",
        phone="0121 440 0000",
    )


@pytest.fixture
def dr_lee(programme, surgery):
    return PersonFactory(
        programme=programme,
        name="Dr Wei Lee",
        organisation=surgery,
        email="wei.lee@nhs.net",
        job_title="GP partner",
    )


@pytest.fixture
def snapshot():
    """Counts of every scouting table plus events, to prove a refused action wrote nothing."""

    def take() -> dict:
        return {
            model.__name__: model.objects.count()
            for model in (
                Organisation,
                Person,
                Meeting,
                Idea,
                FollowUp,
                TalentNote,
                MeetingDraft,
                MergeRecord,
                NotDuplicate,
                Event,
            )
        }

    return take
