"""Issue 16, item 11: the move dialog says a refusal once, a paused venture's dialog
offers only "Reactivate", and the venture list's sort offers "Name" once."""

import html
import re

import pytest
from django.urls import reverse

from ventures.models import Venture, VentureStatus

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
IDEA_UNMET = (
    "Need evidenced (local data or a needs assessment)",
    "A plausible NHS or council buyer named",
)


def words(response) -> str:
    page = response.content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def buttons(response) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>|\s+", " ", b)).strip()
        for b in re.findall(r"<button[^>]*>(.*?)</button>", response.content.decode(), re.S)
    ]


@pytest.mark.parametrize("htmx", [True, False], ids=["dialog", "page"])
def test_a_gate_refusal_names_each_missing_condition_once(
    client, venture, seir, stages, snapshot, htmx
):
    # given: nothing confirmed at Idea
    client.force_login(seir)
    before = snapshot(venture)

    # when
    response = client.post(
        reverse("ventures:move", args=[venture.pk]),
        {"to_stage": stages["startup"].pk, "expected_stage": stages["idea"].pk},
        **(HX if htmx else {}),
    )

    # then: one refusal, and each missing condition once (in the gate list)
    text = words(response)
    refusal = "The gate to leave Idea is not met: 2 conditions marked ✗ below are missing."
    assert text.count(refusal) == 1
    assert text.count("The gate to leave") == 1
    for label in IDEA_UNMET:
        assert text.count(label) == 1, label
    assert text.count("To move it anyway, write an override reason below.") == 1
    assert snapshot(venture) == before


@pytest.mark.parametrize("status", [VentureStatus.PAUSED, VentureStatus.CLOSED])
@pytest.mark.parametrize("method", ["get", "drop"])
def test_a_paused_ventures_dialog_offers_only_reactivate(
    client, venture, seir, stages, snapshot, status, method
):
    # given
    Venture.objects.filter(pk=venture.pk).update(status=status, status_reason="On hold.")
    client.force_login(seir)
    before = snapshot(venture)
    url = reverse("ventures:move", args=[venture.pk])

    # when: the Move dialog is opened, or the card dropped on another stage
    if method == "get":
        response = client.get(url, **HX)
    else:
        response = client.post(url, {"to_stage": stages["startup"].pk, "drop": "1"}, **HX)

    # then: the reason and one action, "Reactivate" (besides closing the dialog)
    label = VentureStatus(status).label.lower()
    assert response.status_code == 200
    assert f"Saheli Women's Centre is {label}. Reactivate it before moving it." in words(response)
    assert [b for b in buttons(response) if b] == ["Cancel", "Reactivate"]
    page = response.content.decode()
    assert 'name="to_stage"' not in page
    assert 'name="override_reason"' not in page
    assert f'action="{reverse("ventures:status", args=[venture.pk])}"' in page
    assert 'name="to_status" value="active"' in page
    assert snapshot(venture) == before


def test_reactivate_from_the_dialog_makes_the_venture_active(client, venture, seir):
    Venture.objects.filter(pk=venture.pk).update(
        status=VentureStatus.PAUSED, status_reason="On hold."
    )
    client.force_login(seir)
    response = client.post(reverse("ventures:status", args=[venture.pk]), {"to_status": "active"})
    assert response.status_code == 302
    venture.refresh_from_db()
    assert venture.status == VentureStatus.ACTIVE


def test_the_paused_move_page_without_js_offers_only_reactivate(client, venture, seir):
    Venture.objects.filter(pk=venture.pk).update(
        status=VentureStatus.PAUSED, status_reason="On hold."
    )
    client.force_login(seir)
    response = client.get(reverse("ventures:move", args=[venture.pk]))
    assert response.status_code == 200
    assert "Reactivate it before moving it." in words(response)
    assert 'name="to_stage"' not in response.content.decode()
    assert "Reactivate" in buttons(response)
    assert "Move" not in buttons(response)


def test_the_venture_list_sort_offers_name_once(client, venture, seir):
    client.force_login(seir)
    page = client.get(reverse("ventures:list")).content.decode()
    select = re.search(r'<select[^>]*name="sort".*?</select>', page, re.S).group(0)
    options = [html.unescape(o).strip() for o in re.findall(r"<option[^>]*>(.*?)</option>", select)]
    assert options == [
        "Name",
        "Name (descending)",
        "Stage",
        "Stage (descending)",
        "Date entered stage",
        "Date entered stage (descending)",
        "Last updated",
        "Last updated (descending)",
        "Last activity",
        "Last activity (descending)",
    ]
    assert sum(o.startswith("Name") and "descending" not in o for o in options) == 1


@pytest.mark.parametrize(
    ("sent", "lands_on"),
    [("abc", None), ("0", None), ("home", None), ("/ventures/board/", "/ventures/board/")],
)
def test_after_a_move_a_next_that_is_not_a_path_on_the_site_lands_on_the_venture(
    client, venture, seir, stages, sent, lands_on
):
    # A bare word passed Django's host check and redirect() read it as a URL name: an
    # unknown one ("abc") was a 500 after the move was saved, "home" went to the start page.
    client.force_login(seir)

    response = client.post(
        reverse("ventures:move", args=[venture.pk]),
        {
            "to_stage": stages["startup"].pk,
            "expected_stage": stages["idea"].pk,
            "override_reason": "The trustees asked us to start now.",
            "next": sent,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == (lands_on or reverse("ventures:detail", args=[venture.pk]))
    assert Venture.objects.get(pk=venture.pk).stage == stages["startup"]
