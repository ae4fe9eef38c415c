"""Issue 16 item 11: a chart's axis uses the same date format as its table."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from outcomes import services
from outcomes.models import OutcomeDomain

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(entrepreneur, venture):
    return services.indicator_add(
        actor=entrepreneur,
        venture=venture,
        domain=OutcomeDomain.objects.get(number=2),
        name="Women taking part each month",
        unit="people",
        baseline=Decimal("20"),
        target=Decimal("120"),
    )


def test_the_chart_axis_labels_read_like_the_table_dates(
    client, manager, entrepreneur, indicator, venture
):
    # given measurements on three dates
    for day, value in [(5, "45"), (12, "50"), (28, "61")]:
        services.measurement_record(
            actor=entrepreneur,
            indicator=indicator,
            measured_on=datetime.date(2026, 1, day),
            value=Decimal(value),
        )

    # when the outcomes tab is drawn
    client.force_login(manager)
    page = client.get(reverse("outcomes:venture", args=[venture.pk])).content.decode()

    # then the data the chart draws its axis from holds the table's dates, as written there
    charts = json.loads(
        re.search(
            r'<script id="outcome-charts" type="application/json">(.*?)</script>', page, re.S
        ).group(1)
    )
    [chart] = charts
    assert chart["labels"] == ["5 Jan 2026", "12 Jan 2026", "28 Jan 2026"]
    table_dates = re.findall(r'<time datetime="2026-01-\d\d">([^<]+)</time></th>', page)
    assert chart["labels"] == table_dates
    assert chart["dates"] == ["2026-01-05", "2026-01-12", "2026-01-28"]
