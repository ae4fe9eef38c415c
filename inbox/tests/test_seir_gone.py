# ruff: noqa: F811  (the fixtures imported from test_notifications are used by name)
"""What is for the venture's SEiR (an item or a plan submitted for review) is heard by
whoever runs the programme when that SEiR can no longer act on it: their role removed
(``Venture.seir`` stays set) or their account deactivated."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.factories import member
from accounts.roles import Role
from inbox.notifications import notify_event

from .test_notifications import (  # noqa: F401  (fixtures)
    entrepreneur,
    item,
    manager,
    outsider,
    programme,
    seir,
    submit,
    teammate,
    told,
    venture,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_seir(programme):
    return member(programme, Role.SEIR, username="seir2", email="sunita@example.org")


def test_an_item_submitted_after_the_seirs_role_was_removed_goes_to_the_programmes_seirs(
    item, seir, second_seir, entrepreneur
):
    # Given: the venture's SEiR no longer runs the programme (the venture still names them)
    seir.programme_memberships.all().delete()
    # When: the entrepreneur submits an item for review
    event = submit(item, entrepreneur)
    notify_event(event.pk)
    # Then: the SEiR who runs the programme now is told, at once, and the former one not
    assert told(event) == ["seir2"]
    assert [m.to for m in mail.outbox] == [["sunita@example.org"]]


def test_an_item_submitted_after_the_seirs_account_was_deactivated_goes_to_the_others(
    item, seir, second_seir, entrepreneur
):
    seir.is_active = False
    seir.save(update_fields=["is_active"])
    event = submit(item, entrepreneur)
    notify_event(event.pk)
    assert told(event) == ["seir2"]


def test_the_venture_s_own_seir_is_told_alone_while_they_run_the_programme(
    item, seir, second_seir, entrepreneur
):
    event = submit(item, entrepreneur)
    notify_event(event.pk)
    assert told(event) == ["seir"]
