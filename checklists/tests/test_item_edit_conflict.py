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
from tests.html_forms import page_form

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


def edit_form(response):
    """The item page's edit form, as a browser would send it untouched."""
    return page_form(response.content, containing="seen")


def post_form(client, item, form, *, htmx=False, **typed):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("checklists:item_edit", args=[item.pk]), {**form.values, **typed}, headers=headers
    )


def saved(item):
    item.refresh_from_db()
    return (item.label, item.guidance, item.due_date)


@pytest.mark.parametrize("htmx", [False, True])
def test_a_refused_save_keeps_what_was_typed_and_says_what_changed_meanwhile(
    seir, administrator, item, htmx
):
    # given: the SEiR and an administrator both open the item page
    page = reverse("checklists:item", args=[item.pk])
    first, second = signed_in(seir), signed_in(administrator)
    first_form, second_form = edit_form(first.get(page)), edit_form(second.get(page))
    assert first_form.values["seen"] == second_form.values["seen"]

    # when: the administrator sets a due date, then the SEiR (whose page shows none)
    # changes the label and the guidance
    assert post_form(second, item, second_form, due_date="2027-03-01").status_code == 302
    before, events = saved(item), Event.objects.count()
    refused = post_form(
        first,
        item,
        first_form,
        htmx=htmx,
        label="Governing document (signed)",
        guidance="Signed by the chair",
    )

    # then: nothing is saved, and the SEiR is told what changed and what it is now
    assert refused.status_code == 200
    assert saved(item) == before == ("Governing document", before[1], datetime.date(2027, 3, 1))
    assert Event.objects.count() == events
    body = html.unescape(refused.content.decode())
    assert (
        "Someone changed this item while you were editing it: the due date is now "
        "1 Mar 2027. Nothing was saved. Your changes are below; check them and save again."
    ) in body
    # what the SEiR typed is still in the form; the field they left alone shows the
    # newly saved due date; the fingerprint is the saved item's
    again = edit_form(refused)
    assert again.values["label"] == "Governing document (signed)"
    assert again.values["guidance"] == "Signed by the chair"
    assert again.values["due_date"] == "2027-03-01"
    assert again.values["seen"] == services.item_details_seen(item)

    # when: the SEiR saves the re-shown form as it is
    response = post_form(first, item, again)

    # then: their changes are saved, and the administrator's due date stands
    assert response.status_code == 302
    assert saved(item) == (
        "Governing document (signed)",
        "Signed by the chair",
        datetime.date(2027, 3, 1),
    )


def test_a_field_both_changed_keeps_the_persons_value_and_names_the_saved_one(
    seir, administrator, item
):
    # given: the administrator sets a due date while the SEiR's page shows none
    page = reverse("checklists:item", args=[item.pk])
    first, second = signed_in(seir), signed_in(administrator)
    first_form, second_form = edit_form(first.get(page)), edit_form(second.get(page))
    post_form(second, item, second_form, due_date="2027-03-01", label="Constitution")

    # when: the SEiR sets another due date
    refused = post_form(first, item, first_form, due_date="2027-05-31")

    # then: refused; the message gives both saved values and says the form keeps theirs
    assert refused.status_code == 200
    assert saved(item)[::2] == ("Constitution", datetime.date(2027, 3, 1))
    body = html.unescape(refused.content.decode())
    assert (
        "Someone changed this item while you were editing it: the name is now "
        "“Constitution”; the due date is now 1 Mar 2027 (you changed it too: the form "
        "keeps yours). Nothing was saved."
    ) in body
    again = edit_form(refused)
    assert (again.values["label"], again.values["due_date"]) == ("Constitution", "2027-05-31")

    # when: having seen it, the SEiR saves again: their date replaces the other
    assert post_form(first, item, again).status_code == 302
    assert saved(item)[::2] == ("Constitution", datetime.date(2027, 5, 31))


def test_a_change_after_the_refusal_is_refused_again(seir, administrator, item):
    # given: the SEiR's save was refused once (the administrator set a due date)
    page = reverse("checklists:item", args=[item.pk])
    first, second = signed_in(seir), signed_in(administrator)
    first_form = edit_form(first.get(page))
    post_form(second, item, edit_form(second.get(page)), due_date="2027-03-01")
    again = edit_form(post_form(first, item, first_form, label="Signed"))

    # when: the administrator changes the item once more before the SEiR saves again
    post_form(second, item, edit_form(second.get(page)), due_date="2027-04-01")
    refused = post_form(first, item, again)

    # then: the second save is refused too, naming the newer date; nothing is saved
    assert refused.status_code == 200
    assert "the due date is now 1 Apr 2027." in html.unescape(refused.content.decode())
    assert saved(item)[::2] == ("Governing document", datetime.date(2027, 4, 1))
    assert edit_form(refused).values["label"] == "Signed"


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


@pytest.mark.parametrize("shown", [None, "not json", "[1, 2]"])
def test_a_form_that_does_not_say_what_it_showed_keeps_the_typing_and_names_every_difference(
    seir, administrator, item, shown
):
    # given: a page drawn before forms carried what they showed (or a garbled copy)
    page = reverse("checklists:item", args=[item.pk])
    first, second = signed_in(seir), signed_in(administrator)
    first_form = edit_form(first.get(page))
    first_form.values.pop("shown")
    if shown is not None:
        first_form.values["shown"] = shown
    post_form(second, item, edit_form(second.get(page)), due_date="2027-03-01")

    # when: the SEiR changes the label from it
    refused = post_form(first, item, first_form, label="Signed")

    # then: refused, nothing saved; the form keeps all they sent and the message gives
    # the saved value of every detail that differs from it
    assert refused.status_code == 200
    assert saved(item)[::2] == ("Governing document", datetime.date(2027, 3, 1))
    assert (
        "Someone changed this item while you were editing it: the name is now “Governing "
        "document” (the form keeps yours); the due date is now 1 Mar 2027 (the form keeps "
        "yours). Nothing was saved."
    ) in html.unescape(refused.content.decode())
    again = edit_form(refused)
    assert (again.values["label"], again.values["due_date"]) == ("Signed", "")
