"""Issue 16 item 8: logging a meeting on a phone. One tap from anywhere ("Log a meeting"
in the navigation, a SEiR on a phone starts on scouting), the save status in the sticky
bar, organisations picked by typing, follow-ups due before the meeting confirmed, an
idea's proposer picked from the attendees, overdue follow-ups flagged on the meeting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory, member
from accounts.roles import Role
from accounts.services import membership_add
from scouting.factories import FollowUpFactory, MeetingFactory, OrganisationFactory
from scouting.models import FollowUp, Idea, Meeting, MeetingType
from scouting.services import FollowUpRow, MeetingInput, meeting_log
from scouting.tests.rows import rows_post
from tests.clients import client_for

pytestmark = pytest.mark.django_db

PHONE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
DESKTOP_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)
NAV_LINK = 'class="btn btn-outline-light btn-sm nav-log-meeting'


SEIF = {"what": "Send the SEIF form", "due": "2026-11-19"}


def meeting_post(programme, *, ideas=(), talent=(), followups=(SEIF,), **fields):
    """A meeting held on 20 Nov 2026 with one follow-up (``fields`` replace any field;
    the rows are the formsets' rows, see ``rows_post``)."""
    data = {
        "programme": programme.pk,
        "held_at": "2026-11-20T10:30",
        "meeting_type": "workshop",
        "location": "Saheli Hub",
        "notes": "Keep these notes",
        **rows_post(ideas=ideas, talent=talent, followups=followups),
    }
    data.update(fields)
    return data


# --- follow-ups due before the meeting ----------------------------------------------------


def test_followup_due_before_the_meeting_is_refused_without_confirmation(
    client, seir, programme, nadia, saheli, snapshot
):
    client.force_login(seir)
    before = snapshot()

    response = client.post(
        reverse("scouting:meeting_log"),
        meeting_post(programme, attendees=[nadia.pk], organisations=[saheli.pk]),
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert (
        "Follow-up 1: it is due on 19 Nov 2026, before the meeting (20 Nov 2026). Correct the "
        "date, or tick “Yes, before the meeting” under it to keep it." in body
    )
    # Nothing saved, nothing lost: the box to confirm is shown, unticked, in row 1.
    assert snapshot() == before
    assert "Keep these notes" in body and 'value="Send the SEIF form"' in body
    assert 'value="2026-11-19"' in body
    assert 'name="followups-0-early" id="id_followups-0-early">' in body
    assert "This date is before the meeting." in body
    assert f'<option value="{saheli.pk}" selected>' in body
    assert f'name="attendees" value="{nadia.pk}"' in body


def test_followup_due_before_the_meeting_is_saved_once_confirmed(client, seir, programme):
    client.force_login(seir)

    response = client.post(
        reverse("scouting:meeting_log"),
        meeting_post(programme, followups=[{**SEIF, "early": "on"}]),
    )

    assert response.status_code == 302
    assert list(FollowUp.objects.values_list("what", "due")) == [
        ("Send the SEIF form", datetime.date(2026, 11, 19))
    ]


def test_confirmation_belongs_to_its_row(client, seir, programme, snapshot):
    """Ticking row 2's box does not confirm row 1's early date."""
    client.force_login(seir)
    before = snapshot()

    response = client.post(
        reverse("scouting:meeting_log"),
        meeting_post(
            programme,
            followups=[
                {"what": "Call Nadia", "due": "2026-11-01"},
                {"what": "Book a room", "due": "2026-11-02", "early": "on"},
            ],
        ),
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Follow-up 1: it is due on 1 Nov 2026" in body
    assert "Follow-up 2" not in body
    assert 'name="followups-1-early" id="id_followups-1-early" checked>' in body
    assert snapshot() == before


def test_followup_on_or_after_the_meeting_day_needs_no_confirmation(client, seir, programme):
    client.force_login(seir)

    response = client.post(
        reverse("scouting:meeting_log"),
        meeting_post(programme, followups=[{**SEIF, "due": "2026-11-20"}]),
    )

    assert response.status_code == 302
    assert FollowUp.objects.get().due == datetime.date(2026, 11, 20)


def test_the_service_refuses_an_unconfirmed_early_followup(seir, programme, snapshot):
    before = snapshot()
    held = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 30))

    with pytest.raises(Exception, match="is due before the meeting"):
        meeting_log(
            actor=seir,
            programme=programme,
            meeting=MeetingInput(
                held_at=held,
                meeting_type=MeetingType.WORKSHOP,
                followups=[FollowUpRow(what="Call", due=datetime.date(2026, 11, 1))],
            ),
        )

    assert snapshot() == before


def test_meeting_page_flags_overdue_followups(client, seir, programme):
    meeting = MeetingFactory(programme=programme)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    FollowUpFactory(programme=programme, meeting=meeting, assignee=seir, what="Late", due=yesterday)
    FollowUpFactory(
        programme=programme,
        meeting=meeting,
        assignee=seir,
        what="Done late",
        due=yesterday,
        done=True,
    )
    FollowUpFactory(
        programme=programme,
        meeting=meeting,
        assignee=seir,
        what="Later",
        due=timezone.localdate() + datetime.timedelta(days=3),
    )

    body = client_for(seir).get(reverse("scouting:meeting_detail", args=[meeting.pk]))
    html = body.content.decode()

    assert html.count('<span class="badge text-bg-danger">Overdue</span>') == 1
    # The badge stands just before the open follow-up that is late.
    flagged = html.index("Overdue</span>")
    assert html[flagged:].index("Late</span>") < html[flagged:].index("Done late")


# --- an idea's proposer from the attendees -------------------------------------------------


def test_idea_proposer_is_picked_from_the_attendees(client, seir, programme, nadia, dr_lee):
    client.force_login(seir)

    response = client.post(
        reverse("scouting:meeting_log"),
        meeting_post(
            programme,
            attendees=[nadia.pk, dr_lee.pk],
            followups=[],
            ideas=[
                {"title": "Walking netball", "proposer": str(dr_lee.pk)},
                {"title": "Chair yoga", "description": "", "need": "", "proposer": ""},
            ],
        ),
    )

    assert response.status_code == 302
    ideas = {i.title: list(i.proposers.all()) for i in Idea.objects.all()}
    assert ideas == {"Walking netball": [dr_lee], "Chair yoga": []}


def test_idea_proposer_must_be_an_attendee(client, seir, programme, nadia, dr_lee, snapshot):
    client.force_login(seir)
    before = snapshot()

    response = client.post(
        reverse("scouting:meeting_log"),
        meeting_post(
            programme,
            attendees=[nadia.pk],
            followups=[],
            ideas=[{"title": "Walking netball", "proposer": str(dr_lee.pk)}],
        ),
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Idea 1: choose who proposed it from the attendees." in body
    assert 'value="Walking netball"' in body
    assert snapshot() == before


def test_proposer_choice_offers_the_attendees_after_a_refusal(client, seir, programme, nadia):
    client.force_login(seir)

    body = client.post(
        reverse("scouting:meeting_log"),
        meeting_post(programme, attendees=[nadia.pk], ideas=[{"title": "X", "proposer": ""}]),
    ).content.decode()

    assert (
        'name="ideas-0-proposer" id="id_ideas-0-proposer" data-blank="Nobody in particular"' in body
    )
    assert f'<option value="{nadia.pk}">Nadia Hussain</option>' in body


# --- organisations picked by typing ------------------------------------------------------


def test_organisation_search_finds_the_programmes_organisations(
    client, seir, programme, other_programme, saheli, surgery
):
    OrganisationFactory(programme=other_programme, name="Saheli Solihull")
    client.force_login(seir)

    body = client.get(reverse("scouting:organisation_search"), {"q": "sahe"}).content.decode()

    assert f'data-pick-organisation="{saheli.pk}"' in body
    assert "Saheli Solihull" not in body and "Surgery" not in body
    assert (
        client.get(reverse("scouting:organisation_search"), {"q": "zz"}).content.decode().strip()
        == '<ul class="list-group" aria-label="Organisations matching “zz”">\n  \n  '
        '<li class="list-group-item">No organisation called “zz” yet.</li>\n  \n</ul>'
    )
    # One letter is too little to search on.
    assert client.get(reverse("scouting:organisation_search"), {"q": "s"}).content.strip() == b""


def test_organisation_search_within_the_chosen_programme(
    client, programme, other_programme, saheli
):
    both = member(programme, Role.SEIR, username="both")
    membership_add(programme=other_programme, user=both, role=Role.SEIR)
    other = OrganisationFactory(programme=other_programme, name="Saheli Solihull")
    client.force_login(both)
    url = reverse("scouting:organisation_search")

    def found(**params) -> set[int]:
        body = client.get(url, {"q": "sah", **params}).content.decode()
        return {pk for pk in (saheli.pk, other.pk) if f'data-pick-organisation="{pk}"' in body}

    assert found() == {saheli.pk, other.pk}
    assert found(programme=programme.pk) == {saheli.pk}
    assert found(programme=other_programme.pk) == {other.pk}
    assert found(programme="9" * 30) == set()


@pytest.mark.parametrize("role", ["manager", "entrepreneur", "commissioner"])
def test_organisation_search_is_404_to_those_who_do_not_log_meetings(client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("scouting:organisation_search"), {"q": "sah"}).status_code == 404


def test_form_has_the_picker_with_a_plain_list_fallback(client, seir, programme, saheli, surgery):
    body = client_for(seir).get(reverse("scouting:meeting_log")).content.decode()

    # Without JavaScript: the plain multiple select; scouting.js swaps in the picker.
    assert '<div id="organisation-fallback">' in body
    assert 'name="organisations"' in body and "multiple" in body
    assert '<fieldset id="organisation-picker" hidden>' in body
    assert 'hx-get="/scouting/organisations/search/"' in body
    # The save status lives in the bar that stays at the bottom of the screen.
    bar = body[body.index('id="save-bar"') :]
    assert bar.index('id="autosave-status"') < bar.index("Save meeting")
    assert 'role="status" aria-live="polite"' in bar[:400]


def test_organisations_picked_are_saved(client, seir, programme, saheli, surgery):
    client.force_login(seir)

    response = client.post(
        reverse("scouting:meeting_log"),
        meeting_post(programme, organisations=[surgery.pk], followups=[]),
    )

    assert response.status_code == 302
    assert list(Meeting.objects.get().organisations.all()) == [surgery]


# --- one tap from anywhere -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("seir", True),
        ("administrator", True),
        ("manager", False),
        ("entrepreneur", False),
        ("commissioner", False),
    ],
)
def test_log_a_meeting_link_only_for_those_who_may(role, shown, request):
    user = request.getfixturevalue(role)
    body = client_for(user).get(reverse("programmes:list")).content.decode()
    assert (NAV_LINK in body) is shown
    if shown:
        assert client_for(user).get(reverse("scouting:meeting_log")).status_code == 200


def test_log_a_meeting_link_not_for_someone_without_a_role(client):
    body = client_for(UserFactory(username="nobody")).get(reverse("programmes:list"))
    assert NAV_LINK not in body.content.decode()


def test_log_a_meeting_link_is_current_on_the_form(seir):
    body = client_for(seir).get(reverse("scouting:meeting_log")).content.decode()
    assert (
        f'{NAV_LINK} ms-auto ms-lg-0 me-2 me-lg-3" '
        'href="/scouting/meetings/new/" aria-current="page">Log a meeting</a>'
    ) in body


@pytest.mark.parametrize(
    ("headers", "landing"),
    [
        ({"HTTP_SEC_CH_UA_MOBILE": "?1"}, "/scouting/"),
        ({"HTTP_USER_AGENT": PHONE_UA}, "/scouting/"),
        ({"HTTP_USER_AGENT": DESKTOP_UA, "HTTP_SEC_CH_UA_MOBILE": "?0"}, "/ventures/board/"),
        ({}, "/ventures/board/"),
    ],
)
def test_seir_on_a_phone_lands_on_scouting_and_on_the_board_elsewhere(seir, headers, landing):
    client = client_for(seir)

    response = client.get("/", **headers)

    assert response.status_code == 302
    assert response["Location"] == landing
    assert "Sec-CH-UA-Mobile" in response["Vary"] and "User-Agent" in response["Vary"]
    assert client.get(landing).status_code == 200


def test_entrepreneur_on_a_phone_keeps_their_start_page(entrepreneur):
    response = client_for(entrepreneur).get("/", HTTP_USER_AGENT=PHONE_UA)
    assert response["Location"] == "/ventures/mine/"
