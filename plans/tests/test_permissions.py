"""Who may see and change a business plan, URL by URL: everyone else gets a 404."""

import pytest
from django.urls import reverse

from plans import factories
from plans.models import BusinessPlan
from plans.permissions import PlanAccess, plan_access
from ventures.models import Venture
from ventures.permissions import _read_only_visibility

pytestmark = pytest.mark.django_db

READERS = {"administrator", "seir", "entrepreneur", "manager"}
WRITERS = {"administrator", "seir", "entrepreneur"}
REVIEWERS = {"administrator", "seir"}
EVERYONE = [
    "administrator",
    "seir",
    "entrepreneur",
    "manager",
    "commissioner",
    "other_entrepreneur",
    "other_seir",
]


@pytest.fixture
def people(
    administrator,
    seir,
    entrepreneur,
    manager,
    commissioner,
    other_entrepreneur,
    other_seir,
    other_venture,
):
    return {
        "administrator": administrator,
        "seir": seir,
        "entrepreneur": entrepreneur,
        "manager": manager,
        "commissioner": commissioner,
        "other_entrepreneur": other_entrepreneur,
        "other_seir": other_seir,
    }


@pytest.fixture
def commissioner_sees_the_venture(monkeypatch, commissioner):
    """A read-only grant (as commissioning will give for introductions) for the commissioner."""
    grants = list(_read_only_visibility)
    grants.append(
        lambda user: Venture.objects.filter(
            pk__in=[] if user != commissioner else Venture.objects.values("pk")
        ).values("pk")
    )
    monkeypatch.setattr("ventures.permissions._read_only_visibility", grants)


def test_plan_access_per_role(people, venture, commissioner_sees_the_venture):
    expected = {
        "administrator": PlanAccess(True, True, True, True),
        "seir": PlanAccess(True, True, True, True),
        "entrepreneur": PlanAccess(True, True, True, False),
        "manager": PlanAccess(True, False, False, False),
        "commissioner": PlanAccess(),
        "other_entrepreneur": PlanAccess(),
        "other_seir": PlanAccess(),
    }
    assert {name: plan_access(user, venture) for name, user in people.items()} == expected


def test_commissioner_with_read_only_grant_sees_the_venture_but_not_the_plan(
    client, commissioner, venture, submitted, commissioner_sees_the_venture
):
    client.force_login(commissioner)
    assert client.get(reverse("ventures:detail", args=[venture.pk])).status_code == 200
    for url in (
        reverse("plans:plan", args=[venture.pk]),
        reverse("plans:version", args=[venture.pk, 1]),
        reverse("plans:pdf", args=[venture.pk, 1]),
    ):
        assert client.get(url).status_code == 404, url
    html = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()
    assert "Business plan" not in html


def _get_urls(pk):
    return {
        "plan": (reverse("plans:plan", args=[pk]), READERS),
        "section": (reverse("plans:section_edit", args=[pk, "risks"]), WRITERS),
        "version": (reverse("plans:version", args=[pk, 1]), READERS),
        "compare": (reverse("plans:compare", args=[pk]) + "?a=1&b=draft", WRITERS),
        "print": (reverse("plans:print", args=[pk, 1]), READERS),
        "pdf": (reverse("plans:pdf", args=[pk, 1]), READERS),
    }


@pytest.mark.parametrize("who", EVERYONE)
def test_get_matrix(client, people, venture, submitted, who):
    client.force_login(people[who])
    for name, (url, allowed) in _get_urls(venture.pk).items():
        status = client.get(url).status_code
        if who in allowed:
            assert status == 200, (name, who, status)
        elif name == "compare" and who in READERS:
            assert status == 400, (name, who, status)  # the draft is not a choice for them
        else:
            assert status == 404, (name, who, status)


def test_missing_version_and_section_are_404(client, seir, venture, submitted):
    client.force_login(seir)
    for url in (
        reverse("plans:version", args=[venture.pk, 2]),
        reverse("plans:version", args=[venture.pk, 99999999999999999999]),
        reverse("plans:pdf", args=[venture.pk, 0]),
        reverse("plans:section_edit", args=[venture.pk, "no-such-section"]),
        reverse("plans:plan", args=[987654]),
    ):
        assert client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_sign_in_for_every_url(client, venture, submitted):
    for url, _ in _get_urls(venture.pk).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def _post_urls(pk):
    return {
        "section": (
            reverse("plans:section_edit", args=[pk, "risks"]),
            {"body": "Overwritten", "version": "0"},
            WRITERS,
        ),
        "submit": (
            reverse("plans:submit", args=[pk]),
            {"revision": "3", "number": "1", "note": ""},
            WRITERS,
        ),
        "comment": (
            reverse("plans:comment_add", args=[pk, 1]),
            {"section": "risks", "body": "Sneaky"},
            REVIEWERS,
        ),
        "review": (reverse("plans:review", args=[pk, 1]), {"action": "approve"}, REVIEWERS),
    }


@pytest.mark.parametrize("who", ["manager", "commissioner", "other_entrepreneur", "other_seir"])
def test_post_matrix_refusals_change_nothing(
    client, people, venture, submitted, plan_snapshot, who
):
    client.force_login(people[who])
    before = plan_snapshot(venture)
    for name, (url, data, allowed) in _post_urls(venture.pk).items():
        assert who not in allowed
        assert client.post(url, data).status_code == 404, (name, who)
    assert plan_snapshot(venture) == before


def test_entrepreneur_cannot_comment_or_review(
    client, entrepreneur, venture, submitted, plan_snapshot
):
    client.force_login(entrepreneur)
    before = plan_snapshot(venture)
    for name in ("comment", "review"):
        url, data, _ = _post_urls(venture.pk)[name]
        assert client.post(url, data).status_code == 404, name
    assert plan_snapshot(venture) == before


@pytest.mark.parametrize("who", sorted(REVIEWERS))
def test_reviewers_may_comment_and_approve(client, people, venture, submitted, who):
    client.force_login(people[who])
    url, data, _ = _post_urls(venture.pk)["comment"]
    assert client.post(url, data).status_code == 302
    url, data, _ = _post_urls(venture.pk)["review"]
    assert client.post(url, data).status_code == 302
    assert BusinessPlan.objects.get(venture=venture).status == "approved"


def test_transitions_are_post_only(client, seir, venture, submitted):
    client.force_login(seir)
    for name in ("submit", "comment", "review"):
        url, _, _ = _post_urls(venture.pk)[name]
        assert client.get(url).status_code == 405, name


def test_manager_sees_versions_but_not_the_draft(client, manager, venture, submitted, entrepreneur):
    factories.write(entrepreneur, venture, {"risks": "Secret draft words."})
    client.force_login(manager)
    html = client.get(reverse("plans:plan", args=[venture.pk])).content.decode()
    assert "Secret draft words." not in html
    assert "Working draft" not in html
    assert "Submit for feedback" not in html
    assert f'href="{reverse("plans:version", args=[venture.pk, 1])}"' in html
    version_html = client.get(reverse("plans:version", args=[venture.pk, 1])).content.decode()
    assert "Saheli runs sport" in version_html
    assert "Add feedback" not in version_html
    assert "Approve version" not in version_html


def test_tab_shows_to_readers_only(client, people, venture, commissioner_sees_the_venture):
    for who in ("seir", "entrepreneur", "manager", "commissioner"):
        client.force_login(people[who])
        html = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()
        assert (">Business plan</a>" in html) is (who in READERS), who


def test_feedback_is_released_to_the_team_when_marked_given(
    client, entrepreneur, manager, seir, venture, submitted
):
    from plans import services

    services.plan_comment_add(
        actor=seir, version=submitted, section_code="risks", body="Draft thought on risks."
    )
    url = reverse("plans:version", args=[venture.pk, 1])
    print_url = reverse("plans:print", args=[venture.pk, 1])

    # while the SEiR is still writing, only reviewers see the comment
    for who, sees in ((seir, True), (entrepreneur, False), (manager, False)):
        client.force_login(who)
        assert ("Draft thought on risks." in client.get(url).content.decode()) is sees
        assert ("Draft thought on risks." in client.get(print_url).content.decode()) is sees
    client.force_login(entrepreneur)
    assert "will appear beside each section once it has been given" in (
        client.get(url).content.decode()
    )

    # once feedback is given, everyone who reads the version sees it
    factories.review(seir, submitted, {})
    for who in (entrepreneur, manager):
        client.force_login(who)
        assert "Draft thought on risks." in client.get(url).content.decode()


def test_no_submit_button_while_a_version_awaits_review(
    client, entrepreneur, seir, venture, submitted
):
    client.force_login(entrepreneur)
    url = reverse("plans:plan", args=[venture.pk])
    html = client.get(url).content.decode()
    assert "Version 1 is waiting for the SEiR's feedback." in html
    assert "Submit version 2" not in html
    factories.review(seir, submitted, {"risks": "More."})
    assert "Submit version 2" in client.get(url).content.decode()
