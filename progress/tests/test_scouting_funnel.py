"""The dashboard's scouting funnel follows the dashboard's period and SEiR: meetings held
in the period (logged by the SEiR chosen), the ideas that came from those meetings, the
ventures those ideas became, and of these the ones counting towards the target by the
headline's own definition. The scouting start page keeps its whole-programme funnel.

The seeded meetings (conftest): M1 (community group, logged by Samira), M2 (community
group and GP practice, Tom), M3 (no organisation, Samira), all held in the period; M4
(GP practice, Samira) held before the programme began; M5 in another programme. Here:

    I1 from M1 -> Alder (Samira's; reached pilot on day 100: counts)
    I2 from M2 -> Damson (Tom's; reached pilot on day 80: counts)
    I3 from M4 -> Birch (Samira's; counts, but its meeting is outside the period)
    I4 from M3 -> Cedar (no SEiR; reached pilot before the period: never counts)
    I5 from M1 and M4, not promoted
    I6 from M2 -> Fir (Samira's; in the idea stage)
"""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from progress.periods import Period, programme_period
from progress.selectors import programme_figures
from scouting.factories import IdeaFactory
from scouting.funnel import scouting_funnel
from scouting.models import Meeting
from ventures.reference import reference

from .conftest import add_venture, at, move
from .test_dashboard import DASHBOARD, client_for, parse, rows_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas(programme, other_programme, seeded):
    m = {x.location: x for x in Meeting.objects.filter(location__in=["M1", "M2", "M3", "M4"])}
    made = {}
    for name, sources, venture in (
        ("I1", ["M1"], "alder"),
        ("I2", ["M2"], "damson"),
        ("I3", ["M4"], "birch"),
        ("I4", ["M3"], "cedar"),
        ("I5", ["M1", "M4"], None),
        ("I6", ["M2"], "fir"),
    ):
        made[name] = IdeaFactory(
            programme=programme,
            title=name,
            source_meetings=[m[code] for code in sources],
            venture=seeded[venture] if venture else None,
        )
    # Another programme's idea from its own meeting: never in this programme's funnel.
    IdeaFactory(
        programme=other_programme,
        source_meetings=[Meeting.objects.get(location="M5")],
    )
    return made


def funnel_rows(figures) -> list[tuple]:
    return [(r.label, r.meetings, r.ideas, r.ventures, r.counting) for r in figures.scouting.funnel]


def test_the_funnel_counts_meetings_held_in_the_period_and_what_came_of_them(programme, ideas):
    figures = programme_figures(programme=programme, period=programme_period(programme))

    # M4 (before the period) is left out, and with it Birch (I3); I5 counts once, in the
    # community group only (its GP practice meeting is M4); Cedar is a venture from M3
    # but reached pilot before the period.
    assert funnel_rows(figures) == [
        ("GP practice", 1, 2, 2, 1),
        ("Community group", 2, 4, 3, 2),
        ("All sectors", 3, 5, 4, 2),
    ]
    # The funnel's meetings are the scouting figures' meetings.
    assert figures.scouting.meetings == 3
    by_sector = {t.label: t.count for t in figures.scouting.by_sector if t.count}
    assert by_sector == {"GP practice": 1, "Community group": 2}


def test_the_scouting_start_page_keeps_the_whole_programme(programme, ideas):
    # M4, held before the programme began, and Birch from it are still in its funnel.
    whole = scouting_funnel([programme.pk])
    assert (whole[-1].meetings, whole[-1].ideas, whole[-1].ventures) == (4, 6, 5)


def test_the_seir_filter_counts_that_seirs_meetings_and_ventures_only(programme, seir, ideas):
    figures = programme_figures(programme=programme, period=programme_period(programme), seir=seir)

    # Tom's M2 (and I2, I6 from it) is not Samira's; of her ideas' ventures Cedar has no
    # SEiR, so Alder alone; it counts towards her target.
    assert funnel_rows(figures) == [
        ("Community group", 1, 2, 1, 1),
        ("All sectors", 2, 3, 1, 1),
    ]
    assert figures.scouting.meetings == 2
    assert [v.name for v in figures.target.ventures] == ["Birch", "Alder"]


def test_counting_uses_the_headline_targets_definition_in_the_dashboards_period(programme, ideas):
    start = programme.start_date
    # Seventy days: only Birch first reached pilot within them (day 60); Alder (day 100)
    # and Damson (day 80) come later, so none of the funnel's ventures counts here,
    # though all would count over the programme's period.
    early = Period(start, start + datetime.timedelta(days=70), "x")
    figures = programme_figures(programme=programme, period=early)
    assert [v.name for v in figures.target.ventures] == ["Birch"]
    assert funnel_rows(figures)[-1] == ("All sectors", 3, 5, 4, 0)

    # From before the programme began: M4 is in, so Birch (day 60) and Cedar (first into
    # pilot 30 days before the start) count, as they do in the headline.
    wider = Period(start - datetime.timedelta(days=40), start + datetime.timedelta(days=70), "x")
    figures = programme_figures(programme=programme, period=wider)
    assert sorted(v.name for v in figures.target.ventures) == ["Birch", "Cedar"]
    assert funnel_rows(figures) == [
        ("GP practice", 2, 4, 3, 1),
        ("Community group", 2, 4, 3, 0),
        ("All sectors", 4, 6, 5, 2),
    ]


def test_the_dashboard_table_its_links_and_its_csv(manager, programme, seir, ideas):
    client = client_for(manager)
    for query, expected, counting in (
        (
            "",
            [
                ["GP practice", "1", "2", "2", "1"],
                ["Community group", "2", "4", "3", "2"],
                ["All sectors", "3", "5", "4", "2"],
            ],
            {"Alder", "Damson"},
        ),
        (
            f"?seir={seir.pk}",
            [["Community group", "1", "2", "1", "1"], ["All sectors", "2", "3", "1", "1"]],
            {"Alder"},
        ),
    ):
        response = client.get(DASHBOARD + query)
        text = response.content.decode()
        page = parse(response)
        assert "From meetings held in the period to ideas and ventures" in text
        assert '<th scope="col" class="text-end">Meetings held in the period</th>' in text
        assert page.tables["scouting_funnel"] == expected

        # Each ventures and counting figure lands on a list of that many ventures.
        for number, row in enumerate(expected, start=1):
            for column in (4, 5):
                href, shown = page.figures[f"scouting_funnel-{number}-{column}"]
                assert shown == row[column - 1]
                assert rows_on(client, href) == int(shown), (query, row, column)
        # The counting ventures are the headline target's.
        # (its words with the tags dropped: a random token in an attribute may hold "Elm")
        listed = re.sub(
            r"<[^>]+>", " ", client.get(page.figures[f"scouting_funnel-{len(expected)}-5"][0]).text
        )
        assert {name for name in ("Alder", "Birch", "Damson", "Elm") if name in listed} == counting
        # Meetings and ideas open nothing (aggregates only).
        assert "scouting_funnel-1-2" not in page.figures
        assert "scouting_funnel-1-3" not in page.figures

        response = client.get(reverse("progress:csv", args=["scouting_funnel"]) + query)
        body = b"".join(response.streaming_content).decode()
        header, *rows = list(csv.reader(io.StringIO(body)))
        assert header[1] == "Meetings held in the period"
        assert rows == expected


def test_an_unknown_sector_is_not_a_list(manager, ideas):
    url = reverse("progress:rows", args=["funnel_ventures"]) + "?key=nowhere"
    assert client_for(manager).get(url).status_code == 404


def test_the_funnel_takes_no_query_more_as_the_data_grows(programme, seir, ideas):
    period = programme_period(programme)
    reference()  # the stages come from the reference data, read once and kept
    with CaptureQueriesContext(connection) as small:
        before = programme_figures(programme=programme, period=period, seir=seir)
    m1 = Meeting.objects.get(location="M1")
    for i in range(20):
        venture = add_venture(programme, f"Scouted {i}", added=at(programme.start_date), seir=seir)
        move(venture, "pilot", at(programme.start_date + datetime.timedelta(days=9)))
        IdeaFactory(programme=programme, source_meetings=[m1], venture=venture)
    with CaptureQueriesContext(connection) as large:
        after = programme_figures(programme=programme, period=period, seir=seir)
    assert funnel_rows(before)[-1] == ("All sectors", 2, 3, 1, 1)
    assert funnel_rows(after)[-1] == ("All sectors", 2, 23, 21, 21)
    assert len(small) == len(large) == 5
