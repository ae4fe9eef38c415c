"""/dashboard/: who lands there and who may open it, the filters, every figure's link,
the CSVs, and a query count that does not grow with the data."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .conftest import add_venture, at, move

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class _Page(HTMLParser):
    """Figure links (``data-figure``) and tables (rows of cell texts) of a page."""

    def __init__(self):
        super().__init__()
        self.figures: dict[str, tuple[str, str]] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self._link = None
        self._table = None
        self._row = None
        self._cell = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "data-figure" in a:
            self._link = [a["data-figure"], a["href"], ""]
        if tag == "table" and "data-table" in a:
            self._table = self.tables.setdefault(a["data-table"], [])
        if tag == "thead":
            self._in_head = True
        if tag == "tr" and self._table is not None and not self._in_head:
            self._row = []
        if tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "a" and self._link:
            name, href, text = self._link
            self.figures[name] = (html.unescape(href), text.strip())
            self._link = None
        if tag == "thead":
            self._in_head = False
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        if tag == "tr" and self._row is not None:
            if self._table is not None and not (len(self._row) == 1 and "Nothing" in self._row[0]):
                self._table.append(self._row)
            self._row = None
        if tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._link is not None:
            self._link[2] += data
        if self._cell is not None:
            self._cell += data


def parse(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    return page


def rows_on(client, href) -> int:
    """How many rows the list at ``href`` says it has."""
    response = client.get(href)
    assert response.status_code == 200, href
    text = response.content.decode()
    found = re.search(r'data-count="(\d+)"', text) or re.search(
        r'id="result-count" role="status">(\d+) venture', text
    )
    assert found, href
    return int(found.group(1))


def test_a_manager_lands_on_the_dashboard(manager, seeded):
    response = client_for(manager).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("progress:dashboard")


@pytest.mark.parametrize("who", ["manager", "seir", "administrator"])
def test_staff_and_managers_may_open_it(request, who, seeded):
    response = client_for(request.getfixturevalue(who)).get(DASHBOARD)
    assert response.status_code == 200
    assert "Programme progress: Birmingham East and North SEiR programme" in response.text


@pytest.mark.parametrize("who", ["entrepreneur", "commissioner"])
def test_entrepreneurs_and_commissioners_get_404_everywhere(request, who, programme, seeded):
    client = client_for(request.getfixturevalue(who))
    for url in (
        DASHBOARD,
        f"{DASHBOARD}?programme={programme.pk}",
        reverse("progress:rows", args=["moves"]),
        reverse("progress:rows", args=["achieved"]),
        reverse("progress:csv", args=["pipeline"]),
    ):
        assert client.get(url).status_code == 404, url


def test_another_programmes_manager_gets_404(programme, other_manager, seeded):
    client = client_for(other_manager)
    assert client.get(f"{DASHBOARD}?programme={programme.pk}").status_code == 404
    assert (
        client.get(f"{reverse('progress:rows', args=['achieved'])}?programme={programme.pk}")
    ).status_code == 404
    # Their own programme shows only their own figures.
    page = parse(client.get(DASHBOARD))
    assert page.figures["achieved"][1] == "1"


def test_every_figure_link_lands_on_a_list_with_that_many_rows(manager, seeded):
    client = client_for(manager)
    page = parse(client.get(DASHBOARD))

    checked = 0
    for name, (href, text) in page.figures.items():
        if not text.isdigit():
            continue  # a sum (GBP): checked below
        assert rows_on(client, href) == int(text), name
        checked += 1
    assert checked >= 20
    assert page.figures["achieved"][1] == "4"
    assert page.figures["stuck"][1] == "2"


def test_a_sum_links_to_the_rows_that_add_up_to_it(manager, seeded):
    client = client_for(manager)
    page = parse(client.get(DASHBOARD))
    sums = 0
    for code, column in (("contracts", 2), ("funding", 2), ("funding", 4)):
        for number, row in enumerate(page.tables[code], start=1):
            href, text = page.figures[f"{code}-{number}-{column + 1}"]
            assert text == row[column]
            listed = client.get(href).content.decode()
            found = re.search(r'data-total="([0-9.]+)"', listed)
            assert found and found.group(1) == text, (code, row)
            sums += 1
    assert sums >= 6
    signed = next(r for r in page.tables["contracts"] if r[0] == "Signed")
    assert signed[2] == "30000.00"


def test_a_deleted_ventures_checklist_items_leave_the_figures(manager, seeded):
    # Gorse has one overdue item, Alder the other; an administrator deletes Gorse.
    seeded["gorse"].delete()

    client = client_for(manager)
    page = parse(client.get(DASHBOARD))

    assert page.figures["overdue"][1] == "1"
    assert rows_on(client, page.figures["overdue"][0]) == 1


def test_csv_equals_the_table(manager, seeded):
    client = client_for(manager)
    page = parse(client.get(DASHBOARD))
    for code in ("target", "pipeline", "plans", "funding", "introductions", "contracts"):
        response = client.get(reverse("progress:csv", args=[code]))
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode()
        rows = list(csv.reader(io.StringIO(body)))[1:]
        assert rows == page.tables[code], code


def test_the_seir_filter_narrows_the_figures(manager, seir, seeded):
    client = client_for(manager)
    page = parse(client.get(f"{DASHBOARD}?seir={seir.pk}"))
    assert page.figures["achieved"][1] == "2"
    href = page.figures["achieved"][0]
    assert rows_on(client, href) == 2


def test_the_period_filter_narrows_the_figures(manager, programme, seeded):
    client = client_for(manager)
    start = programme.start_date
    end = start + datetime.timedelta(days=70)
    page = parse(client.get(f"{DASHBOARD}?period=custom&start={start}&end={end}"))
    assert page.figures["achieved"][1] == "1"
    typed = parse(client.get(f"{DASHBOARD}?start={start}&end={end}"))
    assert typed.figures["achieved"][1] == "1"
    month = parse(client.get(f"{DASHBOARD}?period=month"))
    assert month.figures["achieved"][1] == "0"


@pytest.mark.parametrize(
    "query,message",
    [
        ("period=custom", "Enter the first day of the period."),
        ("period=custom&start=2026-05-01&end=2026-04-01", "The last day must be on or after"),
        ("period=custom&start=0001-01-01&end=9999-12-31", "Enter a date between"),
        ("period=custom&start=2026-02-30&end=2026-03-01", "Enter a valid date."),
        ("period=custom&start=%00&end=" + "9" * 40, "Enter a valid date."),
        ("period=forever", "Select a valid choice."),
    ],
)
def test_bad_periods_get_a_clear_message(manager, seeded, query, message):
    response = client_for(manager).get(f"{DASHBOARD}?{query}")
    assert response.status_code == 200
    assert message in html.unescape(response.text)
    assert "the figures show the programme's own period" in html.unescape(response.text)


def test_a_seir_of_another_programme_is_refused(manager, other_programme, seeded):
    from accounts.factories import member
    from accounts.roles import Role

    stranger = member(other_programme, Role.SEIR, username="stranger")
    response = client_for(manager).get(f"{DASHBOARD}?seir={stranger.pk}")
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    # the message is tied to the select it is about (read out with it)
    select = re.search(r'<select name="seir"[^>]*>', response.text)[0]
    assert 'aria-invalid="true"' in select and 'aria-describedby="id_seir_error"' in select
    message = re.search(
        r'<div class="invalid-feedback d-block" id="id_seir_error">([^<]*)<', response.text
    )
    assert html.unescape(message[1]) == (
        f"Select a valid choice. {stranger.pk} is not one of the available choices."
    )


def test_a_bad_period_message_is_tied_to_its_select(manager, seeded):
    response = client_for(manager).get(f"{DASHBOARD}?period=forever")
    select = re.search(r'<select name="period"[^>]*>', response.text)[0]
    assert 'aria-describedby="id_period_error"' in select
    assert re.search(r'id="id_period_error">Select a valid choice\. forever is not', response.text)


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/rows/nothing/",
        "/dashboard/rows/plans/?key=nope",
        "/dashboard/rows/applied/?key=99999999999999999999",
        "/dashboard/rows/applied/?key=%C2%B2",
        "/dashboard/rows/awarded/?key=%C2%B2",
        "/dashboard/rows/indicators/?key=%C2%B2",
        "/dashboard/tables/nothing.csv",
        "/dashboard/?programme=99999999999999999999",
    ],
)
def test_unknown_lists_are_not_found(manager, seeded, url):
    assert client_for(manager).get(url).status_code == 404


def _grow(programme, seir, n):
    for i in range(n):
        venture = add_venture(programme, f"More {i}", added=at(programme.start_date), seir=seir)
        move(venture, "startup", at(programme.start_date + datetime.timedelta(days=3)))
        move(venture, "pilot", at(programme.start_date + datetime.timedelta(days=9)))


def test_query_count_is_pinned_and_equal_at_two_sizes(manager, programme, seir, seeded):
    client = client_for(manager)
    url = f"{DASHBOARD}?seir={seir.pk}&period=custom&start={programme.start_date}&end={programme.end_date}"
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(programme, seir, 30)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert parse(response).figures["achieved"][1] == "32"
    assert len(small) == len(large)
    assert len(large) == 9  # the SEiR choices and the stages come with the reference data


def test_the_programme_filter_for_a_manager_of_several(manager, programme, other_programme, seeded):
    from accounts.roles import Role
    from accounts.services import membership_add

    membership_add(programme=other_programme, user=manager, role=Role.MANAGER)
    client = client_for(manager)

    first = client.get(DASHBOARD)
    assert 'name="programme" id="id_programme"' in first.text
    other = parse(client.get(f"{DASHBOARD}?programme={other_programme.pk}"))
    assert other.figures["achieved"][1] == "1"
    assert rows_on(client, other.figures["achieved"][0]) == 1


@pytest.mark.parametrize(
    "today,start,end",
    [
        ("2027-01-15", "2027-01-01", "2027-03-31"),
        ("2026-04-01", "2026-04-01", "2026-06-30"),
        ("2026-09-30", "2026-07-01", "2026-09-30"),
        ("2026-12-31", "2026-10-01", "2026-12-31"),
    ],
)
def test_nhs_quarters_run_april_to_march(today, start, end):
    from progress.periods import nhs_quarter

    quarter = nhs_quarter(datetime.date.fromisoformat(today))
    assert (quarter.start.isoformat(), quarter.end.isoformat()) == (start, end)


def test_a_long_target_list_shows_its_first_rows_and_links_to_all(manager, programme, seir, seeded):
    _grow(programme, seir, 30)
    client = client_for(manager)
    response = client.get(DASHBOARD)
    page = parse(response)

    assert page.figures["achieved"][1] == "34"
    assert len(page.tables["target"]) == 25
    assert "Showing the first 25 of 34." in response.text
    assert rows_on(client, page.figures["achieved"][0]) == 34
    body = b"".join(client.get(reverse("progress:csv", args=["target"])).streaming_content)
    assert len(list(csv.reader(io.StringIO(body.decode())))) == 35


def test_a_hostile_venture_name_is_escaped_in_the_dashboards_tables(manager, programme, seir):
    hostile = "<script>alert('x')</script> O'Brien & \"Sons\""
    venture = add_venture(programme, hostile, added=at(programme.start_date), seir=seir)
    move(venture, "startup", at(programme.start_date + datetime.timedelta(days=3)))
    move(venture, "pilot", at(programme.start_date + datetime.timedelta(days=9)))

    response = client_for(manager).get(DASHBOARD)

    assert response.status_code == 200
    assert parse(response).tables["target"][0][0] == hostile
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; O&#x27;Brien &amp; &quot;Sons&quot;"
        in response.text
    )
    assert "<script>alert" not in response.text


def test_a_period_already_over_says_so_instead_of_what_could_still_count(
    manager, programme, seeded
):
    client = client_for(manager)
    start = programme.start_date
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    over = client.get(f"{DASHBOARD}?period=custom&start={start}&end={yesterday}").content.decode()
    assert "The period has ended: this is what it achieved." in over
    assert "could still count" not in over
    current = client.get(DASHBOARD).content.decode()
    assert "could still count" in current
    assert "The period has ended" not in current
