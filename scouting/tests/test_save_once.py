"""The add-an-idea, add-a-person and add-an-organisation forms, the meeting form's "Add
a new person" box, and the form promoting an idea to a venture, save once, however often the rendered form is posted (a double click,
a page sent again): a second idea would count twice in the scouting funnel, and a second
promotion told the person it had failed although the first had made the venture."""

import re

import pytest
from django.urls import reverse

from events.models import Event
from scouting.factories import IdeaFactory
from scouting.models import Idea, IdeaStatus, Organisation, Person
from submissions.models import SubmissionToken
from submissions.services import ALREADY_SAVED
from tests.clients import client_for, texts
from tests.html_forms import page_form
from ventures.models import Venture

pytestmark = pytest.mark.django_db

POSSIBLE_DUPLICATE = (
    "This may be someone already in the directory. Open their record, or tick the box "
    "below to add a different person."
)


def rendered(client, url: str, containing: str):
    page = client.get(url)
    assert page.status_code == 200
    return page_form(page.content, containing=containing)


def test_the_same_idea_form_posted_twice_adds_one_idea(seir, nadia):
    # given: the rendered form, filled in, with a proposer picked
    client = client_for(seir)
    url = reverse("scouting:idea_create")
    form = rendered(client, url, "title")
    typed = {**form.values, "title": "Walking netball", "attendees": [str(nadia.pk)]}

    # when: it is sent twice
    first = client.post(url, typed)
    second = client.post(url, typed)

    # then: one idea (with its proposer) and one event; the second answer says so
    idea = Idea.objects.get()
    assert (idea.title, list(idea.proposers.all())) == ("Walking netball", [nadia])
    where = reverse("scouting:idea_detail", args=[idea.pk])
    assert (first.status_code, first["Location"]) == (302, where)
    assert (second.status_code, second["Location"]) == (302, where)
    assert texts(first) == ["Idea “Walking netball” was added."]
    assert texts(second)[-1] == ALREADY_SAVED
    assert Event.objects.filter(kind="scouting.idea_added").count() == 1
    assert typed["submission_token"]


def test_a_refused_idea_keeps_what_was_typed_and_saves_nothing(seir, nadia):
    client = client_for(seir)
    url = reverse("scouting:idea_create")
    form = rendered(client, url, "title")
    typed = {**form.values, "title": "", "description": "Saturday mornings"}

    refused = client.post(url, {**typed, "attendees": [str(nadia.pk)]})

    assert refused.status_code == 400
    shown = page_form(refused.content, containing="title")
    assert shown.values["description"] == "Saturday mornings"
    assert shown.values["attendees"] == str(nadia.pk)  # the proposer's chip is kept
    assert shown.values["submission_token"] == form.values["submission_token"]
    assert not Idea.objects.exists() and not SubmissionToken.objects.exists()

    saved = client.post(url, {**shown.values, "title": "Walking netball"})
    assert saved.status_code == 302
    assert list(Idea.objects.values_list("title", "description")) == [
        ("Walking netball", "Saturday mornings")
    ]


def test_the_same_organisation_form_posted_twice_adds_one(seir, programme):
    client = client_for(seir)
    url = reverse("scouting:organisation_create")
    form = rendered(client, url, "name")
    typed = {**form.values, "name": "Moseley Food Bank", "sector": "third_sector"}

    first = client.post(url, typed)
    second = client.post(url, typed)

    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.programme) == ("Moseley Food Bank", programme)
    where = reverse("scouting:organisation_detail", args=[organisation.pk])
    assert (first.status_code, first["Location"]) == (302, where)
    assert (second.status_code, second["Location"]) == (302, where)
    assert texts(first) == ["Moseley Food Bank was added."]
    assert texts(second)[-1] == ALREADY_SAVED
    assert typed["submission_token"]


def test_a_refused_organisation_keeps_what_was_typed_and_saves_nothing(seir):
    client = client_for(seir)
    url = reverse("scouting:organisation_create")
    form = rendered(client, url, "name")
    typed = {**form.values, "name": "Moseley Food Bank", "website": "not a web address"}

    refused = client.post(url, typed)

    assert refused.status_code == 400
    shown = page_form(refused.content, containing="name")
    assert (shown.values["name"], shown.values["website"]) == (typed["name"], typed["website"])
    assert shown.values["submission_token"] == form.values["submission_token"]
    assert not Organisation.objects.exists() and not SubmissionToken.objects.exists()


def test_the_same_person_form_posted_twice_adds_one_person(seir):
    # given: someone not yet in the directory
    client = client_for(seir)
    url = reverse("scouting:person_create")
    form = rendered(client, url, "name")
    typed = {**form.values, "name": "Ravi Mistry", "email": "ravi@example.org"}

    first = client.post(url, typed)
    second = client.post(url, typed)

    # then: one person; the second answer is "already saved", not a warning that Ravi
    # may already be in the directory (the first post added him)
    person = Person.objects.get()
    assert (person.name, person.email) == ("Ravi Mistry", "ravi@example.org")
    where = reverse("scouting:person_detail", args=[person.pk])
    assert (first.status_code, first["Location"]) == (302, where)
    assert (second.status_code, second["Location"]) == (302, where)
    assert texts(first) == ["Ravi Mistry was added to the directory."]
    assert texts(second)[-1] == ALREADY_SAVED
    assert typed["submission_token"]


def test_a_possible_duplicate_then_a_different_person_ticked_twice_adds_one(seir, nadia):
    # given: a form whose person may be Nadia, already in the directory
    client = client_for(seir)
    url = reverse("scouting:person_create")
    form = rendered(client, url, "name")
    typed = {**form.values, "name": "N Hussain", "email": "nadia@saheli.org.uk"}

    # when: sent, it is refused, with the possible duplicate listed and nothing saved
    refused = client.post(url, typed)
    assert refused.status_code == 400
    assert POSSIBLE_DUPLICATE in refused.content.decode()
    assert [p for p, _why in refused.context["duplicates"]] == [nadia]
    assert Person.objects.count() == 1 and not SubmissionToken.objects.exists()
    shown = page_form(refused.content, containing="different_person")
    assert (shown.values["name"], shown.values["email"]) == ("N Hussain", "nadia@saheli.org.uk")

    # and when: "a different person" is ticked and the form is sent twice
    ticked = {**shown.values, "different_person": "on"}
    first = client.post(url, ticked)
    second = client.post(url, ticked)

    # then: one more person, not two
    added = Person.objects.exclude(pk=nadia.pk).get()
    assert (added.name, added.email) == ("N Hussain", "nadia@saheli.org.uk")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert texts(second)[-1] == ALREADY_SAVED


def test_the_same_promote_form_posted_twice_makes_one_venture(seir, programme, nadia):
    # given: the promote form, drawn from an idea and filled in
    idea = IdeaFactory(programme=programme, title="Walking netball", proposers=[nadia])
    client = client_for(seir)
    url = reverse("scouting:idea_promote", args=[idea.pk])
    form = rendered(client, url, "name")
    typed = {**form.values, "name": "Walking Netball CIC"}

    # when: it is sent twice (the second finds the idea promoted by the first)
    first = client.post(url, typed)
    second = client.post(url, typed)

    # then: one venture, the idea promoted once; the second answer says it was saved
    # and shows the venture, not "it cannot be promoted"
    venture = Venture.objects.get()
    idea.refresh_from_db()
    assert (venture.name, idea.status, idea.venture) == (
        "Walking Netball CIC",
        IdeaStatus.PROMOTED,
        venture,
    )
    where = reverse("ventures:detail", args=[venture.pk])
    assert (first.status_code, first["Location"]) == (302, where)
    assert (second.status_code, second["Location"]) == (302, where)
    assert texts(first) == ["“Walking netball” is now the venture Walking Netball CIC."]
    assert texts(second) == [texts(first)[0], ALREADY_SAVED]
    assert Event.objects.filter(kind="scouting.idea_promoted").count() == 1


def test_another_promote_form_after_the_promotion_is_still_refused(seir, programme):
    # given: an idea promoted from one tab
    idea = IdeaFactory(programme=programme, title="Walking netball")
    client = client_for(seir)
    url = reverse("scouting:idea_promote", args=[idea.pk])
    one, other = rendered(client, url, "name"), rendered(client, url, "name")
    assert client.post(url, {**one.values, "name": "Walking Netball CIC"}).status_code == 302

    # when: a second tab's form (its own token) is sent
    again = client.post(url, {**other.values, "name": "Walking Netball Two"})

    # then: no second venture; the idea's page says why
    assert (again.status_code, again["Location"]) == (
        302,
        reverse("scouting:idea_detail", args=[idea.pk]),
    )
    assert texts(again)[-1] == "This idea is promoted to a venture; it cannot be promoted."
    assert list(Venture.objects.values_list("name", flat=True)) == ["Walking Netball CIC"]


def test_a_refused_promotion_keeps_what_was_typed_and_saves_nothing(seir, programme, snapshot):
    idea = IdeaFactory(programme=programme, title="Walking netball")
    client = client_for(seir)
    url = reverse("scouting:idea_promote", args=[idea.pk])
    form = rendered(client, url, "name")
    before = snapshot()

    refused = client.post(url, {**form.values, "name": "", "summary": "Saturday mornings"})

    assert refused.status_code == 400
    shown = page_form(refused.content, containing="name")
    assert (shown.values["name"], shown.values["summary"]) == ("", "Saturday mornings")
    assert shown.values["submission_token"] == form.values["submission_token"]
    assert snapshot() == before
    assert not Venture.objects.exists() and not SubmissionToken.objects.exists()
    idea.refresh_from_db()
    assert (idea.status, idea.venture) == (IdeaStatus.NEW, None)


def box(client) -> dict:
    """The meeting form's "Add a new person" box as drawn: its one-time token, in the
    element each answer that adds someone replaces with a fresh one."""
    page = client.get(reverse("scouting:meeting_log"))
    token = page_form(page.content, containing="new-name").values["new-submission_token"]
    drawn = (
        '<span id="new-person-token"><input type="hidden" name="new-submission_token" '
        f'value="{token}"></span>'
    )
    assert page.content.decode().count(drawn) == 1
    return {"new-submission_token": token}


def fresh_token(answer) -> str:
    """The token the box's answer gives it for the next person (swapped in out of band)."""
    found = re.findall(
        r'<span id="new-person-token" hx-swap-oob="true"><input type="hidden" '
        r'name="new-submission_token" value="([0-9a-f-]{36})"></span>',
        answer.content.decode(),
    )
    assert len(found) == 1
    return found[0]


def test_the_same_person_box_sent_twice_adds_one_person(seir, programme, saheli):
    # given: the box in the meeting form, filled in
    client = client_for(seir)
    url = reverse("scouting:person_quick_add")
    token = box(client)
    typed = {"programme": programme.pk, "new-name": "Amira Khan", "new-organisation": saheli.pk}

    # when: it is sent twice (the second finds Amira, whom the first added)
    first = client.post(url, {**typed, **token})
    second = client.post(url, {**typed, **token})

    # then: one person; both answers choose her in the meeting form (the element the
    # form's script reads), not "this may be someone already in the directory"
    amira = Person.objects.get()
    assert (amira.name, amira.organisation) == ("Amira Khan", saheli)
    chosen = (
        f'<p class="text-success-emphasis mb-0" data-new-person="{amira.pk}" '
        'data-label="Amira Khan">Added Amira Khan to the directory and to this meeting.</p>'
    )
    for answer in (first, second):
        assert answer.status_code == 200
        assert answer.content.decode().count(chosen) == 1
        assert "already in the directory" not in answer.content.decode()
    assert Event.objects.filter(kind="scouting.person_added").count() == 1
    assert SubmissionToken.objects.get().target == amira


def test_the_person_box_takes_a_fresh_token_for_the_next_person(seir, programme):
    # given: Amira added from the box
    client = client_for(seir)
    url = reverse("scouting:person_quick_add")
    token = box(client)
    added = client.post(url, {"programme": programme.pk, "new-name": "Amira Khan", **token})

    # when: the next person is sent with the token the answer brought
    fresh = fresh_token(added)
    assert fresh != token["new-submission_token"]
    next_one = client.post(
        url, {"programme": programme.pk, "new-name": "Bilal Ahmed", "new-submission_token": fresh}
    )

    # then: both are in the directory
    assert next_one.status_code == 200 and "Added Bilal Ahmed" in next_one.content.decode()
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Amira Khan", "Bilal Ahmed"]


def test_a_refused_person_box_keeps_its_token_unused(seir, programme, nadia):
    # given: the box with someone who may be Nadia
    client = client_for(seir)
    url = reverse("scouting:person_quick_add")
    typed = {"programme": programme.pk, "new-name": "N Hussain", "new-email": nadia.email}
    typed.update(box(client))

    # when: sent, the possible duplicate is offered, nothing saved, no fresh token
    offered = client.post(url, typed)
    assert f'data-pick-person="{nadia.pk}"' in offered.content.decode()
    assert "new-person-token" not in offered.content.decode()
    assert Person.objects.count() == 1 and not SubmissionToken.objects.exists()

    # and when: "No, add a different person" is sent twice with the same token
    different = {**typed, "new-different_person": "on"}
    first, second = client.post(url, different), client.post(url, different)

    # then: one more person, and both answers choose them
    added = Person.objects.exclude(pk=nadia.pk).get()
    assert f'data-new-person="{added.pk}"' in first.content.decode()
    assert f'data-new-person="{added.pk}"' in second.content.decode()


def test_the_person_box_button_drops_a_click_while_its_request_is_under_way(seir):
    """A second click while the first is still being answered is dropped (htmx
    ``hx-sync="this:drop"``), not queued to be sent once the box has been cleared (which
    answered "Name: required" although the person was added)."""
    page = client_for(seir).get(reverse("scouting:meeting_log")).content.decode()
    button = re.findall(r'<button[^>]*id="new-person-add"[^>]*>', page)
    assert len(button) == 1
    assert 'hx-sync="this:drop"' in button[0]
