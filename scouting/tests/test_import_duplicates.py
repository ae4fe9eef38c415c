"""Issue 16 item 4: an import never creates the duplicates it flags. Each flagged row is
skipped (the default), updates the existing record with only the ticked fields, or is
added as new; importing the same file twice adds nothing."""

import pytest
from django.urls import reverse

from events.models import Event
from scouting import services
from scouting.models import Organisation, Person
from tests.clients import client_for, texts
from tests.html_forms import page_forms

pytestmark = pytest.mark.django_db

PEOPLE = (
    "name,organisation,job_title,email,phone,consent_to_contact\n"
    "Aaron Ford,Saheli Women's Group,Volunteer,aaron@example.org,0121 000 1111,no\n"
    "Beth Cole,,,beth@example.org,,no\n"
    "Carl Jones,,,,,no\n"
    "Dina Shah,Saheli Women's Group,Treasurer,,,yes\n"
)


def _import(seir, programme, text, decisions=None, kind="people"):
    return services.directory_import(
        actor=seir, programme=programme, kind=kind, text=text, decisions=decisions
    )


def test_the_same_file_twice_adds_nothing(seir, programme, saheli):
    first = _import(seir, programme, PEOPLE)
    assert (first.added, first.updated, first.skipped) == (4, 0, 0)

    # the second time every row is flagged, and skipped by default
    rows = services.import_preview(programme=programme, kind="people", text=PEOPLE)
    assert [r.flagged for r in rows] == [True, True, True, True]
    assert rows[0].warnings == [
        "Possible duplicate of Aaron Ford (same email).",
    ]
    second = _import(seir, programme, PEOPLE)

    assert (second.added, second.updated, second.skipped) == (0, 0, 4)
    assert Person.objects.count() == 4
    assert list(Person.objects.filter(name="Aaron Ford").values_list("email", flat=True)) == [
        "aaron@example.org"
    ]
    assert Event.objects.filter(kind="scouting.directory_imported").order_by("pk").last().data == {
        "kind": "people",
        "rows": 0,
        "updated": 0,
        "skipped": 4,
    }


def test_update_changes_only_the_ticked_fields(seir, programme, saheli):
    _import(seir, programme, PEOPLE)
    aaron = Person.objects.get(name="Aaron Ford")
    changed = PEOPLE.replace(
        "Volunteer,aaron@example.org,0121 000 1111", "Trustee,aaron@example.org,07700 900 123"
    )
    row = services.import_preview(programme=programme, kind="people", text=changed)[0]
    assert row.update_fields == [
        ("job_title", "Job title: Trustee"),
        ("phone", "Phone: 07700 900 123"),
    ]

    result = _import(
        seir,
        programme,
        changed,
        {2: services.Decision(services.UPDATE, target=aaron.pk, fields=frozenset({"job_title"}))},
    )

    aaron.refresh_from_db()
    assert (result.added, result.updated, result.skipped) == (0, 1, 3)
    assert (aaron.job_title, aaron.phone) == ("Trustee", "0121 000 1111")
    assert Person.objects.count() == 4


def test_add_as_new_adds_exactly_one(seir, programme, saheli):
    _import(seir, programme, PEOPLE)

    result = _import(seir, programme, PEOPLE, {3: services.Decision(services.ADD)})

    assert (result.added, result.updated, result.skipped) == (1, 0, 3)
    assert Person.objects.filter(name="Beth Cole").count() == 2
    assert Person.objects.count() == 5


def test_update_of_a_record_that_is_not_a_match_refuses_everything(
    seir, programme, saheli, dr_lee, snapshot
):
    _import(seir, programme, PEOPLE)
    before = snapshot()

    with pytest.raises(services.ImportRefused) as refused:
        _import(
            seir,
            programme,
            PEOPLE,
            {
                3: services.Decision(services.ADD),
                2: services.Decision(services.UPDATE, target=dr_lee.pk, fields=frozenset({"name"})),
            },
        )

    assert refused.value.message.startswith("Nothing was imported: row 2 no longer matches")
    assert snapshot() == before
    dr_lee.refresh_from_db()
    assert dr_lee.name == "Dr Wei Lee"


def test_a_row_repeating_an_earlier_row_is_skipped_by_default(seir, programme):
    text = "name,email\nEve Hart,eve@example.org\nEve Hart,EVE@example.org\n"

    result = _import(seir, programme, text)

    assert (result.added, result.skipped) == (1, 1)
    assert Person.objects.filter(name="Eve Hart").count() == 1


def test_organisations_same_file_twice_and_update(seir, programme):
    text = "name,sector,area,website\nErdington Hub,local_authority,Erdington,\n"
    _import(seir, programme, text, kind="organisations")
    again = text.replace("Erdington,", "Erdington North,")
    hub = Organisation.objects.get()

    assert _import(seir, programme, again, kind="organisations").skipped == 1
    result = _import(
        seir,
        programme,
        again,
        {2: services.Decision(services.UPDATE, target=hub.pk, fields=frozenset({"area"}))},
        kind="organisations",
    )

    hub.refresh_from_db()
    assert (result.updated, Organisation.objects.count(), hub.area) == (1, 1, "Erdington North")


def test_the_preview_offers_each_choice_and_the_page_imports_as_chosen(
    client, seir, programme, saheli
):
    _import(seir, programme, PEOPLE)
    aaron = Person.objects.get(name="Aaron Ford")
    client = client_for(seir)
    data = {"programme": programme.pk, "kind": "people", "text": PEOPLE}

    preview = client.post(reverse("scouting:import"), data)

    html = preview.content.decode()
    assert "Skip this row" in html and "Add as a new record" in html
    assert f'value="update-{aaron.pk}"' in html
    confirm = next(
        f for f in page_forms(preview.content) if "confirm" in f.action or "action-2" in f.values
    )
    assert confirm.values["action-2"] == "skip"  # the default
    values = {**confirm.values, "action-3": "add", "confirm": "1"}

    response = client.post(reverse("scouting:import"), values)

    assert response.status_code == 302
    assert texts(response) == ["Import of people done: added 1, skipped 3 possible duplicates."]
    assert Person.objects.count() == 5


@pytest.mark.parametrize("role", ["manager", "entrepreneur", "commissioner"])
def test_who_may_not_import(role, request, programme, snapshot):
    client = client_for(request.getfixturevalue(role))
    before = snapshot()

    response = client.post(
        reverse("scouting:import"),
        {"programme": programme.pk, "kind": "people", "text": PEOPLE, "confirm": "1"},
    )

    assert response.status_code == 404
    assert snapshot() == before
