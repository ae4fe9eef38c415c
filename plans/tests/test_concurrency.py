"""Two people editing one draft never overwrite each other silently."""

import pytest
from django.urls import reverse

from events.models import Event
from plans import factories, services
from plans.models import DraftSection

pytestmark = pytest.mark.django_db


def test_stale_save_is_refused_and_nothing_is_lost(venture, entrepreneur, seir, plan_snapshot):
    # given: both open section "risks" at version 0; the SEiR saves first
    services.plan_section_save(
        actor=seir,
        venture=venture,
        section=factories.section("risks"),
        body="The hall lease ends in 2027.",
        expected_version=0,
    )
    before = plan_snapshot(venture)

    # when: the entrepreneur saves what they typed, from version 0
    with pytest.raises(services.SectionConflict) as conflict:
        services.plan_section_save(
            actor=entrepreneur,
            venture=venture,
            section=factories.section("risks"),
            body="Volunteers may leave.",
            expected_version=0,
        )

    # then: refused, with the other person's saved text to show; nothing changed
    assert conflict.value.current.body == "The hall lease ends in 2027."
    assert conflict.value.current.version == 1
    assert conflict.value.message.startswith("Samira Patel saved this section while you")
    assert plan_snapshot(venture) == before


def test_different_sections_do_not_conflict(venture, entrepreneur, seir):
    services.plan_section_save(
        actor=seir,
        venture=venture,
        section=factories.section("risks"),
        body="A",
        expected_version=0,
    )
    services.plan_section_save(
        actor=entrepreneur,
        venture=venture,
        section=factories.section("team"),
        body="B",
        expected_version=0,
    )
    assert sorted(DraftSection.objects.values_list("section__code", "body", "version")) == [
        ("risks", "A", 1),
        ("team", "B", 1),
    ]


def test_conflict_page_keeps_the_text_and_shows_theirs_then_a_deliberate_save_wins(
    client, venture, entrepreneur, seir
):
    url = reverse("plans:section_edit", args=[venture.pk, "risks"])
    client.force_login(entrepreneur)
    assert 'name="version" value="0"' in client.get(url).content.decode()
    factories.write(seir, venture, {"risks": "The hall lease ends in 2027."})

    # when: the entrepreneur saves from the stale version
    response = client.post(url, {"body": "Volunteers may leave.", "version": "0"})

    # then: the form again, their text kept, the SEiR's text shown, the lock moved on
    assert response.status_code == 200
    html = response.content.decode()
    assert "saved this section while you were editing it" in html
    assert ">Volunteers may leave.</textarea>" in html
    assert "The hall lease ends in 2027.</textarea>" in html
    assert 'name="version" value="1"' in html
    assert DraftSection.objects.get().body == "The hall lease ends in 2027."
    events = Event.objects.filter(kind="plan.draft_saved").count()

    # when: having merged, they save again (from version 1)
    merged = "The hall lease ends in 2027.\nVolunteers may leave."
    response = client.post(url, {"body": merged, "version": "1"})

    # then: saved, one more event
    assert response.status_code == 302
    assert DraftSection.objects.get().body == merged
    assert DraftSection.objects.get().version == 2
    assert Event.objects.filter(kind="plan.draft_saved").count() == events + 1


def test_htmx_save_returns_the_section_and_a_conflict_returns_the_form(
    client, venture, entrepreneur, seir
):
    url = reverse("plans:section_edit", args=[venture.pk, "team"])
    client.force_login(entrepreneur)
    headers = {"HX-Request": "true", "HX-Target": "section-team"}
    response = client.post(url, {"body": "**Parveen** leads.", "version": "0"}, headers=headers)
    html = response.content.decode()
    assert html.startswith('<article class="card mb-3 plan-section" id="section-team"')
    assert "<strong>Parveen</strong> leads." in html
    assert "Saved." in html

    factories.write(seir, venture, {"team": "Parveen and Aisha."})
    response = client.post(url, {"body": "Parveen, Aisha, Grace.", "version": "1"}, headers=headers)
    html = response.content.decode()
    assert 'class="card mb-3 plan-section is-editing"' in html
    assert ">Parveen, Aisha, Grace.</textarea>" in html
    assert "Parveen and Aisha.</textarea>" in html


@pytest.mark.parametrize(
    "data",
    [
        {"body": "x", "version": "-1"},
        {"body": "x", "version": "99999999999999999999"},
        {"body": "x", "version": "abc"},
        {"body": "x"},
        {"body": "nul\x00", "version": "0"},
        {"body": "x" * 200_001, "version": "0"},
    ],
)
def test_hostile_section_posts_get_a_form_error(client, venture, entrepreneur, data):
    client.force_login(entrepreneur)
    response = client.post(reverse("plans:section_edit", args=[venture.pk, "team"]), data)
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode() or "alert-danger" in response.content.decode()
    assert not DraftSection.objects.exists()
