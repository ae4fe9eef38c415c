"""The people and programmes every app's tests share, loaded for the whole suite by the
root conftest (``pytest_plugins``): one programme with a person in every role, a second
programme whose people must never see the first one's data, and two teams' ventures.

An app's conftest adds what only its tests need (a checklist, a plan); it does not
define these people again. Where a test needs someone else (a programme-only
administrator, a teammate), it is a new fixture with its own name.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.factories import ProgrammeFactory, UserFactory, member
from accounts.roles import Role
from ventures.factories import VentureFactory
from ventures.models import LegalForm, Stage


@pytest.fixture
def programme():
    return ProgrammeFactory(name="Birmingham East and North SEiR programme")


@pytest.fixture
def other_programme():
    return ProgrammeFactory(name="Solihull Council SEiR programme")


@pytest.fixture
def stages(programme) -> dict[str, Stage]:
    """The programme's stages by code."""
    return {s.code: s for s in Stage.objects.filter(programme=programme)}


@pytest.fixture
def legal_forms() -> dict[str, LegalForm]:
    return {lf.code: lf for lf in LegalForm.objects.all()}


@pytest.fixture
def administrator(programme):
    """A global administrator who is also an administrator member of ``programme``."""
    return member(
        programme, Role.ADMINISTRATOR, username="admin", first_name="Ada", last_name="Administrator"
    )


@pytest.fixture
def programme_administrator(programme):
    """An administrator of ``programme`` alone (no global administration)."""
    return member(
        programme,
        Role.ADMINISTRATOR,
        global_admin=False,
        username="programme-admin",
        first_name="Priya",
        last_name="Administrator",
    )


@pytest.fixture
def seir(programme):
    return member(programme, Role.SEIR, username="seir", first_name="Samira", last_name="Patel")


@pytest.fixture
def other_seir(other_programme):
    """The other programme's SEiR."""
    return member(
        other_programme, Role.SEIR, username="other-seir", first_name="Owen", last_name="Jones"
    )


@pytest.fixture
def manager(programme):
    return member(
        programme, Role.MANAGER, username="manager", first_name="Michael", last_name="O'Connor"
    )


@pytest.fixture
def commissioner(programme):
    return member(
        programme,
        Role.COMMISSIONER,
        username="commissioner",
        first_name="Claire",
        last_name="Evans",
    )


@pytest.fixture
def entrepreneur(programme):
    """The lead entrepreneur of ``venture``."""
    return member(
        programme, Role.ENTREPRENEUR, username="parveen", first_name="Parveen", last_name="Akhtar"
    )


@pytest.fixture
def other_entrepreneur(programme):
    """An entrepreneur in the same programme, on another venture's team."""
    return member(
        programme, Role.ENTREPRENEUR, username="daniel", first_name="Daniel", last_name="Okafor"
    )


@pytest.fixture
def stranger(db):
    """Signed in, but a member of no programme."""
    return UserFactory(username="stranger", first_name="Sam", last_name="Stranger")


@pytest.fixture
def venture(programme, seir, entrepreneur):
    return VentureFactory(
        programme=programme,
        stage_code="idea",
        name="Saheli Women's Centre",
        summary="Sport and social activities for women.",
        area="Balsall Heath",
        lead=entrepreneur,
        seir=seir,
    )


@pytest.fixture
def other_venture(programme, seir, other_entrepreneur):
    """Another team's venture in the same programme."""
    return VentureFactory(
        programme=programme,
        stage_code="idea",
        name="Men's Sheds Kingstanding",
        lead=other_entrepreneur,
        seir=seir,
    )


@pytest.fixture
def days_ago():
    """The first moment of the local day ``n`` days ago: ``n`` calendar days ago
    (seir.dates.days_since), and at least ``n`` whole days of 24 hours, whatever the time
    of day the test runs."""

    def at(n: int) -> datetime.datetime:
        day = timezone.localdate() - datetime.timedelta(days=n)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    return at
