"""Issue 16 item 5 and issue 21: merges are compared side by side, confirmed, recorded
(what came from where), listed once, and two merges of the same pair at once give the
loser the same clean answer as a second merge (no 500, nothing changed)."""

import pytest
from django.urls import reverse

from events.models import Event
from scouting import services
from scouting.factories import MeetingFactory, OrganisationFactory, PersonFactory
from scouting.models import MergeRecord, NotDuplicate, Organisation, Person
from tests.clients import client_for, texts
from tests.html_forms import page_forms

pytestmark = pytest.mark.django_db


@pytest.fixture
def aaron(programme, saheli):
    return PersonFactory(
        programme=programme,
        name="Aaron Ford",
        organisation=saheli,
        email="aaron@example.org",
        job_title="Volunteer",
        phone="",
        notes="Runs the Tuesday group.",
    )


@pytest.fixture
def aaron2(programme):
    return PersonFactory(
        programme=programme,
        name="Aaron J. Ford",
        organisation=None,
        email="aaron@example.org",
        job_title="Trustee",
        phone="07700 900 123",
        notes="",
    )


def test_the_person_picks_each_value_and_the_merge_is_recorded(seir, programme, aaron, aaron2):
    meeting = MeetingFactory(programme=programme, attendees=[aaron2])

    kept = services.person_merge(
        actor=seir,
        keep=aaron,
        remove=aaron2,
        choices={"name": "kept", "job_title": "removed", "organisation": "kept"},
    )

    kept.refresh_from_db()
    assert (kept.name, kept.job_title, kept.phone, kept.organisation.name) == (
        "Aaron Ford",
        "Trustee",
        "07700 900 123",  # blank here, so the other's by default
        "Saheli Women's Group",
    )
    assert list(meeting.attendees.all()) == [kept]
    merge = MergeRecord.objects.get()
    assert (merge.kind, merge.kept_id, merge.removed_id, merge.removed_name) == (
        "person",
        aaron.pk,
        aaron2.pk,
        "Aaron J. Ford",
    )
    assert merge.fields["job_title"] == {"from": "removed", "value": "Trustee"}
    assert merge.fields["name"] == {"from": "kept", "value": "Aaron Ford"}
    assert merge.removed_values["job_title"] == "Trustee"
    assert merge.kept_values["job_title"] == "Volunteer"
    assert merge.moved["meetings"] == 1
    event = Event.objects.get(kind="scouting.person_merged")
    assert event.data["merge_id"] == merge.pk
    assert event.data["from_removed"] == ["job_title", "phone"]
    assert "aaron@example.org" not in str(event.data)  # no contact details in events


def test_second_merge_of_a_merged_pair_is_a_clean_refusal(seir, aaron, aaron2, snapshot):
    # The loser of two merges at once holds instances whose rows the winner removed:
    # before issue 21 this raised Person.DoesNotExist (a 500).
    stale_keep, stale_remove = Person.objects.get(pk=aaron2.pk), Person.objects.get(pk=aaron.pk)
    services.person_merge(actor=seir, keep=aaron, remove=aaron2)
    before = snapshot()

    with pytest.raises(services.RecordGone) as refused:
        services.person_merge(actor=seir, keep=stale_keep, remove=stale_remove)

    assert refused.value.message == services.GONE
    assert snapshot() == before


def test_organisation_merge_race_loser_is_refused_cleanly(seir, programme, saheli, snapshot):
    dup = OrganisationFactory(programme=programme, name="Saheli Womens Group")
    stale = Organisation.objects.get(pk=dup.pk)
    services.organisation_merge(actor=seir, keep=saheli, remove=dup)
    before = snapshot()

    with pytest.raises(services.RecordGone):
        services.organisation_merge(actor=seir, keep=stale, remove=saheli)

    assert snapshot() == before


def test_both_rows_are_locked_in_id_order(seir, aaron, aaron2):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        services.person_merge(actor=seir, keep=aaron2, remove=aaron)

    locks = [q["sql"] for q in queries if "scouting_person" in q["sql"] and "IN (" in q["sql"]]
    assert locks, "one query fetches both people"
    first = locks[0]
    assert f"IN ({aaron.pk}, {aaron2.pk})" in first or "IN (%s, %s)" in first
    assert 'ORDER BY "scouting_person"."id" ASC' in first


def test_the_pages_compare_confirm_then_merge(seir, aaron, aaron2):
    client = client_for(seir)
    url = reverse("scouting:person_merge", args=[aaron.pk])

    compare = client.get(url, {"other": aaron2.pk})
    assert compare.status_code == 200
    html = compare.content.decode()
    assert "Compare Aaron Ford and Aaron J. Ford" in html
    assert 'name="pick-job_title"' in html and 'name="pick-email"' not in html  # same email
    form = next(f for f in page_forms(compare.content) if "pick-name" in f.values)
    assert (form.values["pick-name"], form.values["pick-phone"]) == ("kept", "removed")

    confirm = client.post(url, {**form.values, "pick-job_title": "removed"})
    assert confirm.status_code == 200
    assert "Confirm the merge" in confirm.content.decode()
    assert Person.objects.filter(pk=aaron2.pk).exists()  # nothing written before confirming

    final = next(f for f in page_forms(confirm.content) if "pick-name" in f.values)
    done = client.post(url, {**final.values, "confirm": "1"})

    assert done.status_code == 302 and done["Location"] == reverse(
        "scouting:person_detail", args=[aaron.pk]
    )
    assert not Person.objects.filter(pk=aaron2.pk).exists()
    aaron.refresh_from_db()
    assert aaron.job_title == "Trustee"
    page = client.get(done["Location"]).content.decode()
    assert "Records merged into this one" in page and "Aaron J. Ford" in page


def test_a_second_merge_through_the_page_says_it_no_longer_exists(seir, aaron, aaron2, snapshot):
    client = client_for(seir)
    client.post(
        reverse("scouting:person_merge", args=[aaron.pk]),
        {
            "other": aaron2.pk,
            "pick-name": "kept",
            "pick-job_title": "kept",
            "pick-phone": "kept",
            "pick-organisation": "kept",
            "pick-notes": "kept",
            "confirm": "1",
        },
    )
    before = snapshot()

    response = client.post(
        reverse("scouting:person_merge", args=[aaron2.pk]), {"other": aaron.pk, "confirm": "1"}
    )

    assert response.status_code == 302
    assert texts(response)[-1] == services.GONE
    assert response["Location"] == reverse("scouting:person_detail", args=[aaron.pk])
    assert snapshot() == before


def test_the_person_page_lists_each_duplicate_once_with_a_compare_link(seir, aaron, aaron2):
    page = client_for(seir).get(reverse("scouting:person_detail", args=[aaron.pk]))
    html = page.content.decode()

    assert html.count(f'href="/scouting/people/{aaron2.pk}/"') == 1
    assert f"?other={aaron2.pk}" in html
    assert "Merge Aaron J. Ford into this record" not in html  # no one-click merge


def test_the_duplicates_list_pairs_each_once_and_forgets_pairs_marked_different(
    seir, programme, aaron, aaron2, saheli
):
    OrganisationFactory(programme=programme, name="Saheli Womens Group")
    client = client_for(seir)

    pairs = client.get(reverse("scouting:duplicates")).context
    assert [(a.pk, b.pk, why) for a, b, why in pairs["people"]] == [
        (aaron.pk, aaron2.pk, ["same email"])
    ]
    assert len(pairs["organisations"]) == 1

    client.post(
        reverse("scouting:duplicate_dismiss"),
        {"kind": "person", "first": aaron2.pk, "second": aaron.pk},
    )

    assert client.get(reverse("scouting:duplicates")).context["people"] == []
    assert NotDuplicate.objects.get().first_id == aaron.pk


@pytest.mark.parametrize("role", ["manager", "entrepreneur", "commissioner"])
def test_who_may_not_merge_or_list_duplicates(role, request, aaron, aaron2, saheli, snapshot):
    client = client_for(request.getfixturevalue(role))
    dup = OrganisationFactory(programme=saheli.programme, name="Saheli Womens Group")
    before = snapshot()
    answers = [
        client.get(reverse("scouting:duplicates")).status_code,
        client.get(
            reverse("scouting:person_merge", args=[aaron.pk]), {"other": aaron2.pk}
        ).status_code,
        client.post(
            reverse("scouting:person_merge", args=[aaron.pk]),
            {"other": aaron2.pk, "confirm": "1"},
        ).status_code,
        client.post(
            reverse("scouting:organisation_merge", args=[saheli.pk]),
            {"other": dup.pk, "confirm": "1"},
        ).status_code,
        client.post(
            reverse("scouting:duplicate_dismiss"),
            {"kind": "person", "first": aaron.pk, "second": aaron2.pk},
        ).status_code,
    ]

    assert answers == [404] * 5
    assert snapshot() == before


def test_a_seir_of_another_programme_cannot_merge(other_seir, aaron, aaron2, snapshot):
    before = snapshot()

    response = client_for(other_seir).post(
        reverse("scouting:person_merge", args=[aaron.pk]), {"other": aaron2.pk, "confirm": "1"}
    )

    assert response.status_code == 404
    assert snapshot() == before


def test_a_refused_merge_writes_nothing(seir, programme, aaron, aaron2, snapshot):
    erased = PersonFactory(programme=programme, name="Aaron Ford", is_erased=True)
    before = snapshot()

    for keep, remove, choices in (
        (erased, aaron, None),
        (aaron, aaron2, {"name": "both"}),
        (aaron, aaron2, {"job_title": "nonsense"}),
    ):
        with pytest.raises(services.ScoutingError):
            services.person_merge(actor=seir, keep=keep, remove=remove, choices=choices)

    assert snapshot() == before


def test_erasing_a_person_erases_the_details_their_merges_kept(seir, aaron, aaron2):
    services.person_merge(actor=seir, keep=aaron, remove=aaron2)
    exported = services.person_export(actor=seir, person=aaron)
    assert exported["records_merged_into_them"][0]["removed_name"] == "Aaron J. Ford"

    services.person_erase(actor=seir, person=aaron)

    merge = MergeRecord.objects.get()
    assert (merge.removed_name, merge.fields, merge.removed_values, merge.kept_values) == (
        f"Erased person {aaron.pk}",
        {},
        {},
        {},
    )
    assert merge.removed_id == aaron2.pk


def test_the_race_loser_gets_the_same_answer_as_a_second_merge(seir, aaron, aaron2, monkeypatch):
    # The loser read both records before the winner's merge committed: simulate it by
    # letting the winner merge between the view's reads and the service's lock.
    from scouting.views import merges

    real = merges.KINDS["person"]["merge"]

    def winner_first(*, actor, keep, remove, choices):
        real(actor=actor, keep=Person.objects.get(pk=remove.pk), remove=keep)
        return real(actor=actor, keep=keep, remove=remove, choices=choices)

    monkeypatch.setitem(merges.KINDS["person"], "merge", winner_first)
    client = client_for(seir)

    response = client.post(
        reverse("scouting:person_merge", args=[aaron.pk]),
        {
            "other": aaron2.pk,
            "confirm": "1",
            "pick-name": "kept",
            "pick-job_title": "kept",
            "pick-phone": "kept",
            "pick-organisation": "kept",
            "pick-notes": "kept",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("scouting:person_detail", args=[aaron2.pk])
    assert texts(response) == [services.GONE]
    assert MergeRecord.objects.count() == 1


def test_organisations_merge_through_the_same_comparison(seir, programme, saheli, nadia):
    saheli.area = ""
    saheli.save()
    dup = OrganisationFactory(
        programme=programme,
        name="Saheli Womens Group",
        area="Balsall Heath",
        website="",
        sector=saheli.sector,
    )
    member = PersonFactory(programme=programme, organisation=dup)
    client = client_for(seir)
    url = reverse("scouting:organisation_merge", args=[saheli.pk])

    compare = client.get(url, {"other": dup.pk})
    form = next(f for f in page_forms(compare.content) if "pick-name" in f.values)
    assert {k: v for k, v in form.values.items() if k.startswith("pick-")} == {
        "pick-name": "kept",
        "pick-area": "removed",  # blank here, so the other's by default
    }
    confirm = client.post(url, {**form.values, "pick-name": "removed"})
    final = next(f for f in page_forms(confirm.content) if "pick-name" in f.values)
    done = client.post(url, {**final.values, "confirm": "1"})

    assert done["Location"] == reverse("scouting:organisation_detail", args=[saheli.pk])
    saheli.refresh_from_db()
    member.refresh_from_db()
    assert (saheli.name, saheli.area, member.organisation_id) == (
        "Saheli Womens Group",
        "Balsall Heath",
        saheli.pk,
    )
    merge = MergeRecord.objects.get(kind="organisation")
    assert merge.fields["name"] == {"from": "removed", "value": "Saheli Womens Group"}
    assert merge.moved == {"people": 1, "meetings": 0}
    # the removed organisation's address leads to the one that stayed
    gone = client.get(reverse("scouting:organisation_detail", args=[dup.pk]))
    assert gone["Location"] == reverse("scouting:organisation_detail", args=[saheli.pk])


def test_a_pair_marked_different_is_no_longer_offered_on_either_records_page(
    seir, programme, aaron, aaron2, saheli
):
    # given two people and two organisations flagged as possible duplicates
    saheli2 = OrganisationFactory(programme=programme, name="Saheli Womens Group")
    client = client_for(seir)
    person_page = reverse("scouting:person_detail", args=[aaron.pk])
    organisation_page = reverse("scouting:organisation_detail", args=[saheli.pk])
    assert f"?other={aaron2.pk}" in client.get(person_page).content.decode()
    assert f"?other={saheli2.pk}" in client.get(organisation_page).content.decode()

    # when the SEiR marks each pair as different on the duplicates list
    for kind, first, second in (("person", aaron, aaron2), ("organisation", saheli, saheli2)):
        client.post(
            reverse("scouting:duplicate_dismiss"),
            {"kind": kind, "first": first.pk, "second": second.pk},
        )

    # then neither record's page still offers them as possible duplicates to merge
    for url in (
        person_page,
        reverse("scouting:person_detail", args=[aaron2.pk]),
        organisation_page,
        reverse("scouting:organisation_detail", args=[saheli2.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Possible duplicates</h2>" not in html, url
        assert "?other=" not in html, url


def test_the_person_page_offers_a_same_name_duplicate_the_list_shows(seir, programme, aaron):
    # given a second Aaron Ford elsewhere, with another email (the list pairs them: same name)
    other = PersonFactory(
        programme=programme, name="aaron ford", organisation=None, email="a.ford@example.org"
    )
    client = client_for(seir)
    pairs = client.get(reverse("scouting:duplicates")).context["people"]
    assert [(a.pk, b.pk, why) for a, b, why in pairs] == [(aaron.pk, other.pk, ["same name"])]

    # then each one's page offers the other to compare, as the list does
    for person, twin in ((aaron, other), (other, aaron)):
        html = client.get(reverse("scouting:person_detail", args=[person.pk])).content.decode()
        assert f"?other={twin.pk}" in html
        assert "— same name</span>" in html
