"""The 12-month target report in a browser: the manager generates one at /reports/,
watches the run finish (htmx polls its status), then downloads the CSV and the PDF."""

import csv
import datetime
import importlib
import io
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from progress import services, tasks
from progress.models import ReportRun, RunStatus
from progress.tests.conftest import add_venture, at, move
from tests.a11y import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_reference_data = importlib.import_module("ventures.migrations.0002_reference_data")


@pytest.fixture
def programme():
    _reference_data.seed(django_apps, None)  # see tests/browser/test_venture_journeys.py
    programme = ProgrammeFactory(
        name="Birmingham East", start_date=timezone.localdate() - datetime.timedelta(days=200)
    )
    member(programme, Role.MANAGER, username="manager", first_name="Mina", last_name="Manager")
    start = programme.start_date
    for name, day in (("Alder", 20), ("Birch", 30), ("Cedar", 150)):
        venture = add_venture(programme, name, added=at(start + datetime.timedelta(days=2)))
        move(venture, "startup", at(start + datetime.timedelta(days=10)))
        move(venture, "pilot", at(start + datetime.timedelta(days=day)))
    for name in ("Damson", "Elm"):
        venture = add_venture(programme, name, added=at(start + datetime.timedelta(days=5)))
        move(venture, "startup", at(start + datetime.timedelta(days=40)))
    return programme


def test_the_manager_generates_a_report_watches_it_finish_and_downloads_it(
    page: Page, live_server, login, programme, monkeypatch, tmp_path
):
    # given a worker that takes the run only when the test says so (the page must show
    # the run waiting, then follow it to the end by polling)
    queued = []
    monkeypatch.setattr(services, "_enqueue", lambda run: queued.append(run.pk))
    login(page, live_server, "manager")
    page.get_by_role("navigation").get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Target reports")
    expect(page.locator("#reports")).to_contain_text("No report has been generated")
    assert_accessible(page)

    # when the manager clicks "Generate report"
    page.get_by_role("button", name="Generate report").click()

    # then the run page shows it queued and polls its status
    expect(page).to_have_url(re.compile(r"/reports/runs/\d+/$"))
    status = page.locator("#run-status")
    expect(status).to_have_attribute("data-status", "queued")
    expect(status).to_have_attribute("hx-trigger", "every 1s")
    assert_accessible(page)
    assert len(queued) == 1

    # when the worker carries the run out
    assert tasks.report_generate.run(queued[0]) == RunStatus.DONE

    # then the page, by itself, shows the report ready, and stops polling
    expect(status).to_have_attribute("data-status", "done", timeout=10_000)
    expect(page.get_by_text("The report is ready.")).to_be_visible()
    expect(page.locator("#run-status")).not_to_have_attribute("hx-trigger", "every 1s")
    assert_accessible(page)
    run = ReportRun.objects.get()
    report = run.report
    assert report.figures["target"]["achieved"] == 3

    # when they download the CSV
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download CSV").click()
    csv_path = Path(tmp_path / "report.csv")
    csv_download.value.save_as(csv_path)
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8"))))

    # then it holds the headline figures and the ventures counting towards the target
    assert rows[0] == ["Headline figures"]
    assert ["Target (ventures)", str(programme.target_ventures)] in rows
    stage = report.figures["target"]["stage_name"]
    assert [f"Counting towards the target (reached “{stage}”)", "3"] in rows
    assert {"Alder", "Birch", "Cedar"} <= {r[0] for r in rows if r}
    assert csv_download.value.suggested_filename.endswith(".csv")

    # when they download the PDF
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download PDF").click()
    pdf_path = Path(tmp_path / "report.pdf")
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    # and the report itself opens as a page with its charts and tables
    page.get_by_role("link", name="Open the report").click()
    expect(page).to_have_url(re.compile(rf"/reports/{report.pk}/$"))
    expect(page.locator("#headline")).to_contain_text("Counting towards the target")
    expect(page.locator("#chart-pipeline svg rect")).to_have_count(
        len(report.figures["pipeline"]["stages"])
    )
    assert_accessible(page)
