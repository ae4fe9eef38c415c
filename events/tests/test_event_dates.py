"""Event descriptions print the dates kept in their data as the feed's date column does
("2 Dec 2026", not "2026-12-02"), and an outcome measurement is filed under the day it was
measured (issue 16 follow-up to item 11)."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import get_template

from events.models import Event
from events.rendering import event_date

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2026-12-02", "2 Dec 2026"),
        (datetime.date(2026, 7, 12), "12 Jul 2026"),
        ("", ""),
        (None, None),
        ("Next week", "Next week"),
        ("20261202", "20261202"),
        ("2026-02-30", "2026-02-30"),
    ],
)
def test_event_date_formats_iso_dates_and_leaves_anything_else(value, shown):
    assert event_date(value) == shown


def _render(template: str, data: dict) -> str:
    return get_template(template).render({"event": Event(kind="x", data=data)})


def test_an_introduction_step_prints_its_day_and_proposed_dates_like_the_feed():
    html = _render(
        "commissioning/events/introduction_moved.jinja",
        {
            "counterpart": "BEN PCT",
            "from_label": "Introduced",
            "to_label": "Meeting agreed",
            "on": "2026-12-02",
            "proposed_dates": ["2026-12-14", "2026-12-16"],
        },
    )

    assert html.strip().endswith(
        "(on 2 Dec 2026). Proposed meeting dates: 14 Dec 2026, 16 Dec 2026"
    ), html


@pytest.mark.parametrize(
    ("template", "data", "text"),
    [
        (
            "outcomes/events/measurement_recorded.jinja",
            {"indicator": "Wellbeing", "value": "46.3", "unit": "score", "on": "2026-11-01"},
            "Wellbeing: 46.3 score on 1 Nov 2026",
        ),
        (
            "outcomes/events/measurement_corrected.jinja",
            {"indicator": "Wellbeing", "old": "4", "new": "5", "unit": "score", "on": "2026-11-01"},
            "Corrected Wellbeing on 1 Nov 2026: 4 → 5 score",
        ),
        (
            "commissioning/events/referral_moved.jinja",
            {"counterpart": "Age UK", "from_label": "A", "to_label": "B", "on": "2026-07-12"},
            "(on 12 Jul 2026)",
        ),
        (
            "checklists/events/item_accepted.jinja",
            {"label": "Insurance", "expires_on": "2027-01-31"},
            "(valid until 31 Jan 2027)",
        ),
        (
            "commissioning/events/window_added.jinja",
            {"priority": "P", "route": "Grant", "opens": "2026-12-01", "closes": "2027-01-15"},
            "Grant, 1 Dec 2026 to 15 Jan 2027",
        ),
        (
            "commissioning/events/contract_recorded.jinja",
            {
                "commissioner": "BEN",
                "service": "S",
                "value": "10",
                "start": "2026-04-01",
                "end": "2027-03-31",
                "status_label": "Live",
            },
            "£10, 1 Apr 2026 to 31 Mar 2027 (live)",
        ),
    ],
)
def test_every_event_with_a_date_prints_it_like_the_feed(template, data, text):
    html = _render(template, data)

    assert text in html
    assert "-0" not in html.replace(data.get("value", "@"), "")
