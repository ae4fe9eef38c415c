"""The same CSV imported twice at once (a double click on "Import"; PostgreSQL, two
connections): the second import waits for the first to commit (each import locks the
programme first), then finds every row already in the directory and skips it, as an
import of the same file after the first one does.

Without the lock each import looked for duplicates without the other's uncommitted
rows, so every person and organisation in the file was added twice.
"""

from __future__ import annotations

import pytest

from events.models import Event
from scouting import services
from scouting.models import Organisation, Person
from tests.concurrency import TWO_CONNECTIONS, race

pytestmark = TWO_CONNECTIONS

PEOPLE = (
    "name,organisation,job_title,email,phone,consent_to_contact\n"
    "Aaron Ford,,Volunteer,aaron@example.org,0121 000 1111,no\n"
    "Beth Cole,,,beth@example.org,,no\n"
    "Carl Jones,,,,,no\n"
)
ORGANISATIONS = (
    "name,sector,area,website\n"
    "Kingstanding Men's Shed,third sector / voluntary,Kingstanding,\n"
    "Erdington Council Hub,local_authority,Erdington,https://erdington.example\n"
)


@pytest.mark.parametrize(
    ("kind", "text", "model", "names"),
    [
        ("people", PEOPLE, Person, ["Aaron Ford", "Beth Cole", "Carl Jones"]),
        (
            "organisations",
            ORGANISATIONS,
            Organisation,
            ["Erdington Council Hub", "Kingstanding Men's Shed"],
        ),
    ],
)
def test_the_same_file_imported_twice_at_once_adds_each_row_once(
    seir, programme, kind, text, model, names
):
    results = []

    def import_file():
        results.append(
            services.directory_import(actor=seir, programme=programme, kind=kind, text=text)
        )

    assert race(import_file, import_file) == []

    assert sorted(model.objects.filter(programme=programme).values_list("name", flat=True)) == (
        names
    )
    first, second = results
    assert (first.added, first.updated, first.skipped) == (len(names), 0, 0)
    assert (second.added, second.updated, second.skipped) == (0, 0, len(names))
    imported = Event.objects.filter(kind="scouting.directory_imported").order_by("pk")
    assert [e.data for e in imported] == [
        {"kind": kind, "rows": len(names), "updated": 0, "skipped": 0},
        {"kind": kind, "rows": 0, "updated": 0, "skipped": len(names)},
    ]
