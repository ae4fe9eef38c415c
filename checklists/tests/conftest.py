"""Fixtures: one programme with a person in every role, a venture at Start-up with a
team, and a second programme whose people must never see it."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from accounts.factories import member
from accounts.roles import Role
from checklists import services
from checklists.models import ChecklistItem, ChecklistTemplate
from ventures.factories import VentureFactory
from ventures.models import TeamMembership


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    """A new, empty in-memory storage for each test (changing STORAGES makes Django
    rebuild default_storage), so "nothing stored" can be checked exactly."""
    settings.STORAGES = {**settings.STORAGES}


@pytest.fixture
def teammate(programme):
    return member(
        programme, Role.ENTREPRENEUR, username="teammate", first_name="Tom", last_name="Mate"
    )


@pytest.fixture
def outsider(programme):
    """An entrepreneur of the same programme, not on this venture's team."""
    return member(
        programme, Role.ENTREPRENEUR, username="outsider", first_name="Otto", last_name="Side"
    )


@pytest.fixture
def venture(programme, seir, entrepreneur, teammate):
    venture = VentureFactory(
        programme=programme,
        stage_code="startup",
        name="Saheli Women's Centre",
        lead=entrepreneur,
        seir=seir,
    )
    TeamMembership.objects.create(venture=venture, user=teammate)
    return venture


@pytest.fixture
def default_template():
    return ChecklistTemplate.objects.get(code="default")


@pytest.fixture
def checklist(seir, venture, default_template):
    return services.checklist_create(actor=seir, venture=venture, template=default_template)


@pytest.fixture
def item(checklist):
    """Startup item: 'Governing document'."""
    return ChecklistItem.objects.get(checklist=checklist, label="Governing document")


@pytest.fixture
def storage_names():
    """``storage_names()``: every file name in the default (test: in-memory) storage."""

    def _names(path="checklists/evidence"):
        try:
            return sorted(default_storage.listdir(path)[1])
        except FileNotFoundError:
            return []

    return _names
