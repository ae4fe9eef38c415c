"""Pages: every scouting URL answers the SEiR, refuses (404) entrepreneurs and
commissioners, shows managers the funnel only; forms keep input and explain refusals."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from scouting.factories import FollowUpFactory, IdeaFactory, MeetingFactory
from scouting.models import FollowUp, Idea, Meeting, MeetingDraft, Person
from scouting.tests.rows import rows_post
from tests.html_forms import page_form
from ventures.models import Venture

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(programme, seir, nadia, saheli):
    meeting = MeetingFactory(programme=programme, attendees=[nadia], organisations=[saheli])
    idea = IdeaFactory(programme=programme, source_meetings=[meeting], proposers=[nadia])
    followup = FollowUpFactory(programme=programme, meeting=meeting, assignee=seir, person=nadia)
    return {"meeting": meeting, "idea": idea, "followup": followup, "person": nadia, "org": saheli}


def all_urls(world):
    """(method, url) for every scouting route."""
    pk = {
        "meeting": world["meeting"].pk,
        "idea": world["idea"].pk,
        "followup": world["followup"].pk,
        "person": world["person"].pk,
        "org": world["org"].pk,
    }
    get = [
        reverse("scouting:home"),
        reverse("scouting:meeting_list"),
        reverse("scouting:meeting_export"),
        reverse("scouting:meeting_log"),
        reverse("scouting:draft_token"),
        reverse("scouting:meeting_detail", args=[pk["meeting"]]),
        reverse("scouting:meeting_edit", args=[pk["meeting"]]),
        reverse("scouting:meeting_delete", args=[pk["meeting"]]),
        reverse("scouting:followups"),
        reverse("scouting:person_list"),
        reverse("scouting:person_export"),
        reverse("scouting:person_create"),
        reverse("scouting:person_search") + "?q=nad",
        reverse("scouting:person_detail", args=[pk["person"]]),
        reverse("scouting:person_edit", args=[pk["person"]]),
        reverse("scouting:person_erase", args=[pk["person"]]),
        reverse("scouting:organisation_list"),
        reverse("scouting:organisation_export"),
        reverse("scouting:organisation_create"),
        reverse("scouting:organisation_search") + "?q=sah",
        reverse("scouting:organisation_detail", args=[pk["org"]]),
        reverse("scouting:organisation_edit", args=[pk["org"]]),
        reverse("scouting:import"),
        reverse("scouting:duplicates"),
        reverse("scouting:idea_list"),
        reverse("scouting:idea_create"),
        reverse("scouting:idea_detail", args=[pk["idea"]]),
        reverse("scouting:idea_edit", args=[pk["idea"]]),
        reverse("scouting:idea_promote", args=[pk["idea"]]),
    ]
    post = [
        reverse("scouting:meeting_log"),
        reverse("scouting:draft_save"),
        reverse("scouting:draft_discard"),
        reverse("scouting:meeting_edit", args=[pk["meeting"]]),
        reverse("scouting:meeting_delete", args=[pk["meeting"]]),
        reverse("scouting:followup_toggle", args=[pk["followup"]]),
        reverse("scouting:person_create"),
        reverse("scouting:person_quick_add"),
        reverse("scouting:person_edit", args=[pk["person"]]),
        reverse("scouting:person_merge", args=[pk["person"]]),
        reverse("scouting:person_data", args=[pk["person"]]),
        reverse("scouting:person_erase", args=[pk["person"]]),
        reverse("scouting:organisation_create"),
        reverse("scouting:organisation_edit", args=[pk["org"]]),
        reverse("scouting:organisation_merge", args=[pk["org"]]),
        reverse("scouting:import"),
        reverse("scouting:duplicate_dismiss"),
        reverse("scouting:idea_create"),
        reverse("scouting:idea_edit", args=[pk["idea"]]),
        reverse("scouting:idea_status", args=[pk["idea"]]),
        reverse("scouting:idea_promote", args=[pk["idea"]]),
    ]
    return [("get", u) for u in get] + [("post", u) for u in post]


def test_every_url_is_covered(world):
    from scouting.urls import urlpatterns

    assert len({u for _m, u in all_urls(world)} | set()) >= len(urlpatterns)


@pytest.mark.parametrize("role", ["entrepreneur", "commissioner"])
def test_entrepreneurs_and_commissioners_get_404_everywhere(client, world, role, request, snapshot):
    client.force_login(request.getfixturevalue(role))
    before = snapshot()
    for method, url in all_urls(world):
        response = getattr(client, method)(url, {"other": world["person"].pk, "done": "1"})
        assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot() == before


def test_other_programmes_seir_gets_404_on_every_object(client, world, other_seir, snapshot):
    client.force_login(other_seir)
    before = snapshot()
    for method, url in all_urls(world):
        if any(ch.isdigit() for ch in url.split("?")[0]):
            response = getattr(client, method)(url, {"other": world["person"].pk, "done": "1"})
            assert response.status_code == 404, (method, url)
    assert snapshot() == before


def test_manager_sees_the_funnel_only(client, world, manager):
    client.force_login(manager)
    home = client.get(reverse("scouting:home"))
    assert home.status_code == 200
    body = home.content.decode()
    assert "From meetings to ventures" in body
    assert "nadia@saheli.org.uk" not in body and "Nadia" not in body
    for method, url in all_urls(world)[1:]:
        assert getattr(client, method)(url).status_code == 404, url


def test_seir_can_open_every_page(client, world, seir):
    client.force_login(seir)
    for method, url in all_urls(world):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_log_meeting_with_new_person_idea_and_followup(client, seir, programme, saheli):
    client.force_login(seir)
    added = client.post(
        reverse("scouting:person_quick_add"),
        {"programme": programme.pk, "new-name": "Amira Khan", "new-organisation": saheli.pk},
    )
    person = Person.objects.get(name="Amira Khan")
    assert f'data-new-person="{person.pk}"' in added.content.decode()

    response = client.post(
        reverse("scouting:meeting_log"),
        {
            "programme": programme.pk,
            "held_at": "2026-11-20T10:30",
            "meeting_type": "workshop",
            "location": "Saheli Hub",
            "notes": "Good turnout.",
            "attendees": [person.pk],
            **rows_post(
                ideas=[
                    {
                        "title": "Walking netball",
                        "description": "For older women",
                        "need": "Inactivity",
                    },
                    {"title": "", "description": "", "need": ""},
                ],
                talent=[{"person": str(person.pk), "note": "Natural organiser"}],
                followups=[{"what": "Send SEIF form", "who": str(seir.pk), "due": "2026-12-01"}],
            ),
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("scouting:meeting_detail", args=[meeting.pk]) + "?saved=1"
    )
    assert list(meeting.organisations.all()) == [saheli]
    assert list(Idea.objects.values_list("title", "description", "health_need")) == [
        ("Walking netball", "For older women", "Inactivity")
    ]
    assert list(FollowUp.objects.values_list("what", "due")) == [
        ("Send SEIF form", datetime.date(2026, 12, 1))
    ]


def test_bad_rows_keep_everything_typed_and_save_nothing(client, seir, programme, snapshot):
    client.force_login(seir)
    before = snapshot()
    response = client.post(
        reverse("scouting:meeting_log"),
        {
            "programme": programme.pk,
            "held_at": "2026-11-20T10:30",
            "meeting_type": "workshop",
            "notes": "Keep me",
            **rows_post(
                ideas=[{"title": "", "description": "A description without a title"}],
                followups=[{"what": "Call back", "due": "31/12/2026"}],
            ),
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Idea 1: give it a title." in body
    assert "Follow-up 1: the due date must be a date." in body
    assert "Keep me" in body and "A description without a title" in body and "Call back" in body
    assert snapshot() == before


def test_draft_restore_after_a_lost_session(client, seir):
    client.force_login(seir)
    saved = client.post(
        reverse("scouting:draft_save"),
        {"data": {"location": ["Saheli Hub"], "notes": ["Half-typed notes"]}},
        content_type="application/json",
    )
    assert saved.json()["saved"] is True

    client.logout()  # the session is gone (expired or signed out)
    lost = client.post(
        reverse("scouting:draft_save"),
        {"data": {"notes": ["typed while signed out"]}},
        content_type="application/json",
    )
    assert lost.status_code == 302 and "/accounts/login/" in lost["Location"]

    client.force_login(seir)
    page = client.get(reverse("scouting:meeting_log"))
    body = page.content.decode()
    assert 'id="server-draft"' in body
    assert page.context["draft_json"]["data"] == {
        "location": ["Saheli Hub"],
        "notes": ["Half-typed notes"],
    }
    assert "You have a meeting you had not finished logging" in body
    home = client.get(reverse("scouting:home")).content.decode()
    assert "Carry on logging it" in home


def test_draft_save_refuses_junk_with_json_error(client, seir):
    client.force_login(seir)
    response = client.post(
        reverse("scouting:draft_save"), "not json", content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["saved"] is False
    assert not MeetingDraft.objects.exists()


def test_promote_form_prefilled_and_creates_linked_venture(client, seir, programme, world):
    idea = world["idea"]
    idea.title, idea.description, idea.health_need = (
        "Walking netball",
        "For older women",
        "Inactivity",
    )
    idea.save()
    client.force_login(seir)
    form = client.get(reverse("scouting:idea_promote", args=[idea.pk])).context["form"]
    assert (
        form["name"].value(),
        form["summary"].value(),
        form["need"].value(),
        form["origin"].value(),
    ) == (
        "Walking netball",
        "For older women",
        "Inactivity",
        "community",
    )
    response = client.post(
        reverse("scouting:idea_promote", args=[idea.pk]),
        {
            "programme": programme.pk,
            "name": "Walking Netball CIC",
            "origin": "community",
            "seir": seir.pk,
        },
    )
    venture = Venture.objects.get()
    assert response["Location"] == reverse("ventures:detail", args=[venture.pk])
    idea.refresh_from_db()
    assert idea.venture == venture
    assert (
        Event.objects.filter(kind__startswith="scouting.")
        .filter(venture_id=venture.pk, kind="scouting.meeting_in_venture")
        .count()
        == 1
    )


def test_person_data_export_download(client, seir, nadia):
    client.force_login(seir)
    response = client.post(reverse("scouting:person_data", args=[nadia.pk]))
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["person"]["email"] == "nadia@saheli.org.uk"
    assert (
        Event.objects.filter(kind__startswith="scouting.")
        .filter(kind="scouting.person_exported")
        .count()
        == 1
    )


def test_csv_export_is_formula_safe(client, seir, programme):
    Person.objects.create(programme=programme, name='=HYPERLINK("x")', email="a@b.org")
    client.force_login(seir)
    body = b"".join(client.get(reverse("scouting:person_export")).streaming_content).decode()
    assert body.splitlines()[1].split(",")[1].startswith("\"'=HYPERLINK")


def test_import_one_bad_row_names_it_and_imports_nothing(client, seir, programme):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(seir)
    text = "name,email\nGood Person,good@example.org\nBad Person,bad-email\n"
    preview = client.post(
        reverse("scouting:import"),
        {
            "programme": programme.pk,
            "kind": "people",
            "file": SimpleUploadedFile("p.csv", text.encode()),
        },
    )
    body = preview.content.decode()
    assert "1 row need" in body and "Enter a valid email address." in body
    assert "confirm" not in body
    confirm = client.post(
        reverse("scouting:import"),
        {"programme": programme.pk, "kind": "people", "text": text, "confirm": "1"},
    )
    assert confirm.status_code == 400
    assert (
        "Nothing was imported: row 3 Email: Enter a valid email address."
        in confirm.content.decode()
    )
    assert not Person.objects.exists()


def test_followup_toggle_and_my_followups(client, seir, world):
    client.force_login(seir)
    page = client.get(reverse("scouting:followups")).content.decode()
    assert world["followup"].what in page
    client.post(reverse("scouting:followup_toggle", args=[world["followup"].pk]), {"done": "1"})
    world["followup"].refresh_from_db()
    assert world["followup"].done is True


def test_meeting_filters(client, seir, programme, world, surgery):
    other = MeetingFactory(
        programme=programme,
        organisations=[surgery],
        held_at=timezone.now() - datetime.timedelta(days=40),
    )
    client.force_login(seir)

    def ids(**params):
        return [
            m.pk
            for m in client.get(reverse("scouting:meeting_list"), params)
            .context["page"]
            .object_list
        ]

    assert ids(sector="gp_practice") == [other.pk]
    assert ids(attendee="nadia") == [world["meeting"].pk]
    assert ids(open_followups="true") == [world["meeting"].pk]
    assert ids(open_followups="false") == [other.pk]
    assert ids(date_to=(timezone.localdate() - datetime.timedelta(days=10)).isoformat()) == [
        other.pk
    ]
    assert ids(meeting_type="event") == []
    for junk in (
        {"date_from": "99999-01-01"},
        {"sector": "x" * 5000},
        {"page": "-1"},
        {"attendee": "\x00"},
    ):
        assert client.get(reverse("scouting:meeting_list"), junk).status_code in (200, 400)


def test_double_submit_logs_one_meeting(client, seir, programme):
    client.force_login(seir)
    page = client.get(reverse("scouting:meeting_log"))
    data = {
        "programme": programme.pk,
        "held_at": "2026-11-20T10:30",
        "meeting_type": "event",
        "submission_token": page_form(page.content, containing="held_at").values[
            "submission_token"
        ],
        **rows_post(followups=[{"what": "Call back"}]),
    }
    first = client.post(reverse("scouting:meeting_log"), data)
    second = client.post(reverse("scouting:meeting_log"), data)

    meeting = Meeting.objects.get()
    assert (
        first["Location"]
        == second["Location"]
        == reverse("scouting:meeting_detail", args=[meeting.pk]) + "?saved=1"
    )
    assert FollowUp.objects.count() == 1


def test_programme_feed_shows_scouting_events_to_staff_only(
    client, seir, manager, programme, saheli
):
    from scouting import services

    services.person_create(actor=seir, programme=programme, name="Amira Khan", email="a@k.org")
    meeting = MeetingFactory(programme=programme, organisations=[saheli])
    idea = IdeaFactory(programme=programme, source_meetings=[meeting], title="Walking netball")
    services.idea_promote(actor=seir, idea=idea, venture_fields={"name": "Walking Netball CIC"})
    url = reverse("events:programme_activity", args=[programme.pk])

    client.force_login(seir)
    staff_page = client.get(url)
    client.force_login(manager)
    manager_page = client.get(url)

    assert staff_page.status_code == manager_page.status_code == 200
    staff_kinds = {e.kind for e in staff_page.context["page"].object_list}
    manager_kinds = {e.kind for e in manager_page.context["page"].object_list}
    assert {"scouting.person_added", "scouting.idea_promoted"} <= staff_kinds
    assert "scouting.person_added" not in manager_kinds
    assert "scouting.idea_promoted" in manager_kinds
    assert "Amira" not in manager_page.content.decode()
    assert "Promoted from the scouting idea" in staff_page.content.decode()


@pytest.mark.parametrize(
    ("sent", "lands"),
    [
        ("/scouting/meetings/?page=2", "/scouting/meetings/?page=2"),
        ("followups", None),  # a bare word, which redirect() would read as a URL name
        ("https://evil.example/", None),
        ("//evil.example/", None),
    ],
)
def test_after_ticking_a_followup_only_a_path_on_the_site_is_followed(
    client, seir, world, sent, lands
):
    client.force_login(seir)
    answer = client.post(
        reverse("scouting:followup_toggle", args=[world["followup"].pk]),
        {"done": "1", "next": sent},
    )
    assert answer.status_code == 302
    assert answer["Location"] == (lands or reverse("scouting:followups"))
