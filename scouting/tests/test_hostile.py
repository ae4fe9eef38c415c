"""Hostile input on every scouting route answers 4xx or a page with a clear message,
never a 500, and writes nothing it should not."""

import json

import pytest
from django.urls import reverse

from scouting.models import FollowUp, Meeting, MeetingDraft, Person
from scouting.tests.rows import rows_post

pytestmark = pytest.mark.django_db

HOSTILE = [
    "-1",
    "99999999999999999999999999",
    "1e309",
    "x" * 5000,
    "\x00",
    "💥 ünïcödé ‮",
    "99999-01-01",
    "²",  # a digit to str.isdigit(), not to int()
    "9" * 5000,  # past the digits int() converts
]
LISTS = {
    "scouting:meeting_list": [
        "programme",
        "date_from",
        "date_to",
        "sector",
        "meeting_type",
        "attendee",
        "open_followups",
        "page",
    ],
    "scouting:person_list": ["programme", "q", "sector", "tag", "consent_to_contact", "page"],
    "scouting:organisation_list": ["programme", "q", "sector", "page"],
    "scouting:idea_list": ["programme", "q", "status", "sector", "page"],
    "scouting:meeting_export": ["date_from", "sector", "attendee"],
    "scouting:person_export": ["q", "tag"],
    "scouting:person_search": ["q"],
}


@pytest.mark.parametrize("name", list(LISTS))
def test_list_parameters_never_500(client, seir, nadia, name):
    client.force_login(seir)
    for field in LISTS[name]:
        for value in HOSTILE:
            response = client.get(reverse(name), {field: value})
            assert response.status_code in (200, 400, 404), (field, value, response.status_code)


def test_meeting_form_hostile_values_keep_input_and_save_nothing(client, seir, programme):
    client.force_login(seir)
    for value in HOSTILE:
        response = client.post(
            reverse("scouting:meeting_log"),
            {
                "programme": value,
                "held_at": value,
                "meeting_type": value,
                "location": value,
                "attendees": [value, "1"],
                "organisations": [value],
                **rows_post(
                    ideas=[{"title": value, "proposer": value}],
                    talent=[{"person": value}],
                    followups=[{"what": value, "who": value, "due": value, "early": value}],
                ),
            },
        )
        assert response.status_code == 400, value
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("name", ["TOTAL_FORMS", "INITIAL_FORMS"])
def test_meeting_form_hostile_row_counts_never_500_nor_lose_a_row(client, seir, programme, name):
    """A count that is not a row count is refused; one that is (a huge number of rows
    with data already, which these rows never have) saves the rows as typed."""
    client.force_login(seir)
    saved = 0
    for value in HOSTILE:
        data = {
            "programme": programme.pk,
            "held_at": "2026-11-20T10:00",
            "meeting_type": "event",
            **rows_post(followups=[{"what": "Send the SEIF form"}]),
        }
        for prefix in ("ideas", "talent", "followups"):
            data[f"{prefix}-{name}"] = value
        response = client.post(reverse("scouting:meeting_log"), data)
        assert response.status_code in ((302, 400) if name == "INITIAL_FORMS" else (400,)), value
        saved += response.status_code == 302
    assert Meeting.objects.count() == FollowUp.objects.count() == saved


def test_meeting_form_far_dates_refused(client, seir, programme):
    client.force_login(seir)
    for held_at in ("1900-01-01T10:00", "2999-01-01T10:00"):
        response = client.post(
            reverse("scouting:meeting_log"),
            {"programme": programme.pk, "held_at": held_at, "meeting_type": "event"},
        )
        assert response.status_code == 400
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "",
        "[]",
        '{"data": "text"}',
        '{"data": {"a": {"nested": 1}}}',
        json.dumps({"data": {"k" * 500: ["v"]}}),
        json.dumps({"data": {str(i): ["v"] for i in range(1000)}}),
        "\x00",
        "{" * 10000,
    ],
)
def test_draft_junk_is_refused_with_json(client, seir, body):
    client.force_login(seir)
    response = client.post(reverse("scouting:draft_save"), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["saved"] is False
    assert not MeetingDraft.objects.exists()


def test_person_forms_hostile(client, seir, programme, nadia):
    client.force_login(seir)
    for value in HOSTILE:
        client.post(
            reverse("scouting:person_create"),
            {"programme": programme.pk, "name": value, "email": value, "consent_date": value},
        )
        client.post(reverse("scouting:person_merge", args=[nadia.pk]), {"other": value})
        response = client.post(
            reverse("scouting:person_quick_add"), {"programme": value, "new-name": value}
        )
        assert response.status_code == 200
    assert not any("\x00" in name for name in Person.objects.values_list("name", flat=True))
    assert Person.objects.filter(pk=nadia.pk).exists()


def test_import_hostile_files(client, seir, programme):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(seir)
    for content in (
        b"\xff\xfe\x00bad",
        b"name\n" + b"x" * 2_000_000,
        b'name\n"unclosed',
        b"\x00\x00",
    ):
        response = client.post(
            reverse("scouting:import"),
            {
                "programme": programme.pk,
                "kind": "people",
                "file": SimpleUploadedFile("f.csv", content),
            },
        )
        assert response.status_code in (200, 400)
    assert not Person.objects.exists()


@pytest.mark.parametrize("value", ["²", "٣", "-1", "abc", "99999999999999999999"])
def test_talent_and_followup_rows_with_odd_numbers_are_refused_not_500(
    client, seir, programme, nadia, value
):
    client.force_login(seir)

    response = client.post(
        reverse("scouting:meeting_log"),
        {
            "programme": programme.pk,
            "held_at": "2026-11-20T10:00",
            "meeting_type": "one_to_one",
            "attendees": [nadia.pk],
            **rows_post(
                talent=[{"person": value, "note": "A natural organiser"}],
                followups=[{"what": "Send the SEIF form", "who": value}],
            ),
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Talent 1: choose one of the attendees." in page
    assert "Follow-up 1: choose who will do it." in page
    assert "A natural organiser" in page and "Send the SEIF form" in page
    assert not Meeting.objects.exists()
