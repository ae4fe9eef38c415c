"""The meeting form's "Add a new person" box sent twice at once (PostgreSQL, two
connections: a double click, a request resent while the first is still saving): the
second waits for the first to commit, adds no one, and chooses the person the first
added.

Without the box's one-time token each request looked for duplicates without seeing the
other's uncommitted person, and both added one: the same person twice in the directory.
"""

from __future__ import annotations

import uuid

from django.urls import reverse

from scouting.models import Person
from tests.clients import client_for
from tests.concurrency import TWO_CONNECTIONS, race

pytestmark = TWO_CONNECTIONS


def test_the_same_person_box_sent_twice_at_once_adds_one_person(programme, seir):
    # given: the box, filled in, and two requests carrying its one token
    typed = {
        "programme": programme.pk,
        "new-name": "Amira Khan",
        "new-email": "amira@example.org",
        "new-submission_token": str(uuid.uuid4()),
    }
    url = reverse("scouting:person_quick_add")
    # Signed in beforehand: a sign-in inside the race would queue the second request
    # behind the first's row lock on the user (last_login), and so hide the race.
    clients = {"first": client_for(seir), "second": client_for(seir)}
    answers = {}

    def send(which):
        def post():
            answers[which] = clients[which].post(url, typed)

        return post

    # when: the second is sent while the first is still saving
    raised = race(send("first"), send("second"))

    # then: one Amira, and the second answer chooses her as the first did
    assert raised == []
    amira = Person.objects.get()
    assert (amira.name, amira.email) == ("Amira Khan", "amira@example.org")
    chosen = f'data-new-person="{amira.pk}" data-label="Amira Khan">Added Amira Khan'
    assert answers["first"].status_code == answers["second"].status_code == 200
    assert chosen in answers["first"].content.decode()
    assert chosen in answers["second"].content.decode()
