"""The same person added at once by two people (two tabs, two phones; PostgreSQL, two
connections), each form with its own token: the second waits for the first to commit,
then is offered the first's person as a possible duplicate and adds no one (saying "a
different person" still adds them, as it always could).

Before, each looked for duplicates without seeing the other's uncommitted person, and
both added one: the same person twice in the directory.
"""

from __future__ import annotations

import pytest

from accounts.roles import Role
from scouting import services
from scouting.models import Person
from tests.concurrency import TWO_CONNECTIONS, race

pytestmark = TWO_CONNECTIONS

AMIRA = {"name": "Amira Khan", "email": "amira@example.org"}


@pytest.fixture
def colleague(programme):
    from accounts.factories import member

    return member(programme, Role.SEIR, username="second-seir")


def test_two_people_adding_the_same_person_at_once_add_one(programme, seir, colleague):
    added = []

    def add(actor):
        def go():
            added.append(services.person_add(actor=actor, programme=programme, **AMIRA))

        return go

    raised = race(add(seir), add(colleague))

    assert len(added) == 1
    assert len(raised) == 1 and isinstance(raised[0], services.PossibleDuplicates)
    assert [(p.pk, why) for p, why in raised[0].found] == [(added[0].pk, "same email")]
    assert list(Person.objects.values_list("name", "email")) == [
        ("Amira Khan", "amira@example.org")
    ]
