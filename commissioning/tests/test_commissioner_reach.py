"""Issue 16, item 7: a commissioner reaches their introductions and, on each, the venture's
profile (name, summary, need), and nothing of the pipeline: 404 on the board, the venture
list, its CSV and every venture page (overview, card, timeline, activity, and the other
apps' tabs). A declined introduction stays in their list without the profile; another
organisation's commissioner sees none of it. Issue 16, item 6 on the ledger and CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from commissioning import selectors, services
from commissioning.models import Introduction, IntroductionStep, ProposedMeetingDate

pytestmark = pytest.mark.django_db


@pytest.fixture
def intro(seir, venture, contact, days_ago):
    venture.summary = "Health walks and swimming for South Asian women."
    venture.need = "Inactivity among women over 40 in Sparkbrook."
    venture.save(update_fields=["summary", "need"])
    return services.introduction_make(
        actor=seir,
        venture=venture,
        contact=contact,
        purpose="Physical activity",
        made_on=days_ago(5),
    )


def export_rows(client) -> list[list[str]]:
    """The introductions CSV read to its end (it is streamed)."""
    response = client.get(reverse("commissioning:export"))
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def _venture_pages(venture) -> list[str]:
    pk = venture.pk
    return [
        reverse("ventures:list"),
        reverse("ventures:export"),
        reverse("ventures:board"),
        reverse("ventures:board_column", args=[venture.stage_id]),
        reverse("ventures:detail", args=[pk]),
        reverse("ventures:card", args=[pk]),
        reverse("ventures:timeline", args=[pk]),
        reverse("ventures:activity", args=[pk]),
        reverse("ventures:edit", args=[pk]),
        reverse("ventures:move", args=[pk]),
        reverse("checklists:venture", args=[pk]),
        reverse("plans:plan", args=[pk]),
        reverse("funding:venture", args=[pk]),
        reverse("outcomes:venture", args=[pk]),
        reverse("commissioning:venture_tab", args=[pk]),
    ]


@pytest.mark.parametrize("who", ["commissioner_user", "council_user"])
def test_a_commissioner_gets_404_on_every_pipeline_page(
    request, client, intro, venture, council_contact, who
):
    # given a commissioner whose organisation the venture was introduced to (or another's)
    client.force_login(request.getfixturevalue(who))

    # then the board, list, CSV and every page of the venture are not found
    for url in _venture_pages(venture):
        assert client.get(url).status_code == 404, url


def test_the_seir_still_reaches_the_pipeline_pages(client, seir, intro, venture):
    client.force_login(seir)
    for url in _venture_pages(venture)[:6]:
        assert client.get(url).status_code == 200, url


def test_the_introduction_shows_the_profile_and_nothing_of_the_pipeline(
    client, commissioner_user, intro, venture
):
    client.force_login(commissioner_user)

    page = client.get(reverse("commissioning:introduction", args=[intro.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert (
        '<dd class="col-sm-8 prewrap" id="venture-summary">'
        "Health walks and swimming for South Asian women.</dd>"
    ) in html
    assert (
        '<dd class="col-sm-8 prewrap" id="venture-need">'
        "Inactivity among women over 40 in Sparkbrook.</dd>"
    ) in html
    for internal in ("Missing", "Stage path", "Team", "Profile history", "My ventures"):
        assert internal not in html, internal
    assert f'href="{reverse("ventures:detail", args=[venture.pk])}"' not in html


def test_a_declined_introduction_stays_listed_without_the_profile(client, commissioner_user, intro):
    # given the commissioner declined it
    services.referral_move(
        actor=commissioner_user, referral=intro, to_step="declined", note="No budget this year."
    )
    client.force_login(commissioner_user)

    # then it is still in their pipeline, and its page says the profile is no longer shared
    pipeline = client.get(reverse("commissioning:introductions"))
    assert [i.pk for c in pipeline.context["columns"] for i in c.items] == [intro.pk]
    page = client.get(reverse("commissioning:introduction", args=[intro.pk]))
    html = page.content.decode()
    assert page.context["shows_profile"] is False
    assert "Health walks and swimming" not in html
    assert "Inactivity among women" not in html
    assert (
        "This introduction is closed, so the venture's profile is no longer shared with you."
        in html
    )


def test_another_organisations_commissioner_sees_nothing(
    client, council_user, council_contact, intro
):
    client.force_login(council_user)
    assert client.get(reverse("commissioning:introduction", args=[intro.pk])).status_code == 404
    url = reverse("commissioning:introduction_respond", args=[intro.pk])
    data = {"answer": "agree", "proposed_date_1": "2099-01-01", "expected_step": "requested"}
    assert client.post(url, data).status_code == 404
    pipeline = client.get(reverse("commissioning:introductions"))
    assert [i.pk for c in pipeline.context["columns"] for i in c.items] == []
    rows = export_rows(client)
    assert rows[1:] == []
    intro.refresh_from_db()
    assert (intro.step, intro.steps.count(), ProposedMeetingDate.objects.count()) == (
        "requested",
        1,
        0,
    )


# --- Meeting agreed, recorded by the SEiR, in the pipeline, ledger and CSV (item 6) ----


def test_the_seir_records_meeting_agreed_with_dates(client, seir, intro, days_ago):
    client.force_login(seir)
    url = reverse("commissioning:introduction_step", args=[intro.pk])
    page = client.get(reverse("commissioning:introduction", args=[intro.pk]))
    assert "meeting_agreed" in [c for c, _ in page.context["step_form"].fields["to_step"].choices]

    response = client.post(
        url,
        {
            "to_step": "meeting_agreed",
            "on": days_ago(0).isoformat(),
            "proposed_date_1": days_ago(-10).isoformat(),
            "proposed_date_2": days_ago(-3).isoformat(),
            "note": "Agreed by phone.",
            "expected_step": "requested",
        },
    )

    assert response.status_code == 302
    intro.refresh_from_db()
    assert intro.step == "meeting_agreed"
    page = client.get(reverse("commissioning:introduction", args=[intro.pk]))
    assert page.context["meeting_dates"] == [days_ago(-3), days_ago(-10)]


def test_the_seir_cannot_record_meeting_agreed_without_a_date(client, seir, intro, days_ago):
    client.force_login(seir)
    url = reverse("commissioning:introduction_step", args=[intro.pk])

    response = client.post(
        url,
        {"to_step": "meeting_agreed", "on": days_ago(0).isoformat(), "expected_step": "requested"},
    )

    assert response.status_code == 400
    assert response.context["step_form"].errors == {
        "proposed_date_1": ["Propose at least one date for the meeting."]
    }
    assert Introduction.objects.get(pk=intro.pk).step == "requested"
    assert IntroductionStep.objects.count() == 1


def test_dates_with_any_other_step_are_refused(seir, intro, days_ago):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.referral_move(
            actor=seir, referral=intro, to_step="introduced", proposed_dates=[days_ago(-1)]
        )
    assert refused.value.message_dict == {
        "proposed_dates": ["Dates are proposed only when a meeting is agreed."]
    }
    assert IntroductionStep.objects.count() == 1


def test_the_pipeline_ledger_and_csv_show_meeting_agreed(
    client, seir, commissioner_user, intro, days_ago
):
    services.referral_move(
        actor=commissioner_user,
        referral=intro,
        to_step="meeting_agreed",
        proposed_dates=[days_ago(-7)],
    )
    client.force_login(seir)
    assert selectors.meeting_dates_by_introduction(introductions=Introduction.objects.all()) == {
        intro.pk: [days_ago(-7)]
    }

    pipeline = client.get(reverse("commissioning:introductions"))
    columns = {c.step.value: (c.step.label, c.count) for c in pipeline.context["columns"]}
    assert columns["meeting_agreed"] == ("Meeting agreed", 1)
    assert list(columns)[:4] == ["requested", "introduced", "meeting_agreed", "meeting_held"]

    ledger = client.get(reverse("commissioning:ledger"))
    [row] = ledger.context["rows"]
    assert (row.total, row.open, row.by_step) == (1, 1, {"meeting_agreed": 1})
    html = ledger.content.decode()
    assert '<th scope="col" class="text-end">Meeting agreed</th>' in html
    assert '<td class="text-end" data-step="meeting_agreed">1</td>' in html
    assert "Meeting agreed (" in html

    rows = export_rows(client)
    assert rows[1][rows[0].index("step")] == "Meeting agreed"
    assert rows[0][-1] == "meeting_dates_proposed"
    assert rows[1][-1] == days_ago(-7).isoformat()


def test_the_programme_page_speaks_to_a_commissioner(
    client, programme, commissioner_user, entrepreneur
):
    url = reverse("programmes:detail", args=[programme.pk])
    client.force_login(commissioner_user)
    html = client.get(url).content.decode()
    assert "You take part as a commissioner." in html
    assert f'<a href="{reverse("commissioning:introductions")}">introductions</a>' in html
    assert "can help with your venture" not in html

    client.force_login(entrepreneur)
    html = client.get(url).content.decode()
    assert "can help with your venture" in html
    assert "You take part as a commissioner." not in html
