"""Two people editing an item's details from two tabs: the later save from a stale page
is refused instead of quietly undoing the earlier one."""

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from checklists import services
from events.models import Event

pytestmark = pytest.mark.django_db


def seen_on(response) -> str:
    return re.search(r'name="seen" value="([0-9a-f]+)"', response.content.decode()).group(1)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit(client, item, seen, **values):
    fields = {"label": item.label, "stage_code": item.stage_code, "due_date": "", "seen": seen}
    return client.post(reverse("checklists:item_edit", args=[item.pk]), {**fields, **values})


def test_a_save_from_a_stale_page_is_refused_and_keeps_the_newer_edit(seir, administrator, item):
    # given: the SEiR and an administrator both open the item page
    page = reverse("checklists:item", args=[item.pk])
    first, second = signed_in(seir), signed_in(administrator)
    first_seen, second_seen = seen_on(first.get(page)), seen_on(second.get(page))
    assert first_seen == second_seen

    # when: the administrator sets a due date, then the SEiR (whose page shows none)
    # changes only the label
    assert edit(second, item, second_seen, due_date="2027-03-01").status_code == 302
    events = Event.objects.count()
    refused = edit(first, item, first_seen, label="Governing document (signed)")

    # then: the SEiR is told, nothing is written and the due date stands
    assert refused.status_code == 200
    body = html.unescape(refused.content.decode())
    assert (
        "Someone else changed the details of “Governing document” while you were editing "
        "them. Your changes have not been saved" in body
    )
    item.refresh_from_db()
    assert (item.label, item.due_date) == ("Governing document", datetime.date(2027, 3, 1))
    assert Event.objects.count() == events
    # the form now shows the saved details, so saving it again cannot undo them
    assert 'name="due_date" value="2027-03-01"' in body
    again = edit(first, item, seen_on(refused), due_date="2027-03-01", label="Signed")
    assert again.status_code == 302
    item.refresh_from_db()
    assert (item.label, item.due_date) == ("Signed", datetime.date(2027, 3, 1))


def test_evidence_added_meanwhile_does_not_refuse_the_edit(seir, entrepreneur, item):
    # given: the SEiR opens the item; the team then adds a link (the item starts)
    client = signed_in(seir)
    seen = seen_on(client.get(reverse("checklists:item", args=[item.pk])))
    services.evidence_add_link(actor=entrepreneur, item=item, url="https://example.org/a")

    # when: the SEiR saves a due date
    response = edit(client, item, seen, due_date="2027-04-30")

    # then: it is saved
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.due_date) == ("in_progress", datetime.date(2027, 4, 30))
