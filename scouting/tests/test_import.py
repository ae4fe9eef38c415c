"""CSV import: a preview with row-by-row errors, then all or nothing."""

import pytest

from events.models import Event
from scouting import services
from scouting.models import Organisation, Person

pytestmark = pytest.mark.django_db

ORGS = "name,sector,area,website\nKingstanding Men's Shed,third sector / voluntary,Kingstanding,\nErdington Council Hub,local_authority,Erdington,https://erdington.example\n"


def test_organisations_import(seir, programme):
    result = services.directory_import(
        actor=seir, programme=programme, kind="organisations", text=ORGS
    )
    assert (result.added, result.updated, result.skipped) == (2, 0, 0)
    assert list(Organisation.objects.values_list("name", "sector")) == [
        ("Erdington Council Hub", "local_authority"),
        ("Kingstanding Men's Shed", "third_sector"),
    ]
    assert list(Event.objects.filter(kind__startswith="scouting.").values_list("kind", "data")) == [
        (
            "scouting.directory_imported",
            {"kind": "organisations", "rows": 2, "updated": 0, "skipped": 0},
        )
    ]


def test_one_bad_row_imports_nothing_and_names_the_row(seir, programme, saheli, snapshot):
    text = (
        "name,organisation,email,consent_to_contact,tags\n"
        "Amira Khan,Saheli Women's Group,amira@example.org,yes,clinician\n"
        "Bad Email,Saheli Women's Group,not-an-email,no,\n"
        "Carl Jones,,carl@example.org,no,\n"
    )
    rows = services.import_preview(programme=programme, kind="people", text=text)
    assert [(r.number, r.errors) for r in rows] == [
        (2, []),
        (3, ["Email: Enter a valid email address."]),
        (4, []),
    ]
    before = snapshot()

    with pytest.raises(services.ImportRefused) as refused:
        services.directory_import(actor=seir, programme=programme, kind="people", text=text)

    assert refused.value.message == (
        "Nothing was imported: row 3 Email: Enter a valid email address."
    )
    assert snapshot() == before
    assert not Person.objects.exists()


def test_preview_flags_duplicates_and_unknowns(programme, nadia):
    text = (
        "name,organisation,email,tags,consent_to_contact,consent_date\n"
        "N Hussain,,NADIA@saheli.org.uk,,,\n"
        "Someone,Nowhere Ltd,,wizard,maybe,31/12/2026\n"
    )
    first, second = services.import_preview(programme=programme, kind="people", text=text)
    assert first.errors == []
    assert first.warnings == ["Possible duplicate of Nadia Hussain (same email)."]
    assert second.errors == [
        "Unknown organisation “Nowhere Ltd”: import or add it first.",
        "Unknown tag “wizard”.",
        "Consent date must look like 2026-03-31.",
        "Consent to contact must be yes or no.",
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "The first row must name the columns; missing: name."),
        ("name\n", "The file has no rows to import."),
        ("nom,secteur\nx,y\n", "The first row must name the columns; missing: name."),
    ],
)
def test_unreadable_files_refused(seir, programme, text, message):
    with pytest.raises(services.ImportRefused) as refused:
        services.directory_import(actor=seir, programme=programme, kind="organisations", text=text)
    assert refused.value.message.startswith(message)
    assert not Organisation.objects.exists()
