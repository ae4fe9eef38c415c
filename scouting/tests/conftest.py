"""Fixtures for the scouting tests: one programme with a person in every role, and a
second programme whose SEiR must never see the first one's scouting data."""

from __future__ import annotations

import pytest

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
