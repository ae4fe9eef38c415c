"""``make bench``: how long the 12-month target report takes to generate for the demo
programme at scale (issue 17: under 10 s at 10,000 ventures on PostgreSQL).

Runs the same services as the Celery task (``report_request`` then
``report_run_execute``), in this process and before the load test starts, so nothing
else competes for the database. Each run's report is kept in the throwaway database.
"""

from __future__ import annotations

import statistics
import time

PROGRAMME = "Birmingham East and North SEiR programme"
GOAL_SECONDS = 10.0


def measure_report_generation(times: int = 3) -> dict:
    from accounts.models import Programme
    from progress import services
    from progress.models import RunStatus

    programme = Programme.objects.get(name=PROGRAMME)
    enqueue = services._enqueue
    services._enqueue = lambda run: None  # carried out here, not by a worker
    seconds, rows = [], 0
    try:
        for _ in range(times):
            begin = time.perf_counter()
            run, _ = services.report_request(actor=None, programme=programme)
            run = services.report_run_execute(run_id=run.pk)
            seconds.append(time.perf_counter() - begin)
            if run.status != RunStatus.DONE:
                raise RuntimeError(f"report generation failed: {run.error}")
            rows = sum(len(part["rows"]) for part in run.report.rows.values())
    finally:
        services._enqueue = enqueue
    from progress.pdf import report_pdf_bytes
    from progress.report_views import _context

    begin = time.perf_counter()
    pdf = report_pdf_bytes(_context(run.report))
    pdf_seconds = time.perf_counter() - begin
    return {
        "pdf_s": pdf_seconds,
        "pdf_bytes": len(pdf),
        "programme": programme.name,
        "ventures": programme.ventures.count(),
        "median_s": statistics.median(seconds),
        "max_s": max(seconds),
        "rows": rows,
        "times": times,
    }


def describe(result: dict) -> str:
    verdict = "within" if result["max_s"] < GOAL_SECONDS else "OVER"
    return (
        f"Target report of “{result['programme']}” ({result['ventures']} ventures, "
        f"{result['rows']} frozen rows): generated in {result['median_s']:.2f} s "
        f"(median of {result['times']}, slowest {result['max_s']:.2f} s; {verdict} the "
        f"{GOAL_SECONDS:.0f} s goal); its PDF in {result['pdf_s']:.2f} s "
        f"({result['pdf_bytes']} bytes)."
    )


def measure_parts(times: int = 3) -> dict:
    """The report's two halves apart, each ``times`` times, medians in seconds:
    ``programme_figures`` (what the dashboard computes per request) and the frozen rows
    (``headline_rows``), plus the whole generation as above. Run it on a seeded database:

        python manage.py shell -c "import sys; sys.path.insert(0, 'scripts'); \\
            import bench_report as b; print(b.describe_parts(b.measure_parts()))"
    """
    from django.utils import timezone

    from accounts.models import Programme
    from progress.periods import programme_period
    from progress.selectors import programme_figures
    from progress.snapshot import headline_rows

    programme = Programme.objects.get(name=PROGRAMME)
    period = programme_period(programme)
    figures, freezing = [], []
    for _ in range(times):
        begin = time.perf_counter()
        programme_figures(programme=programme, period=period)
        figures.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        frozen = headline_rows(programme=programme, period=period, now=timezone.now())
        freezing.append(time.perf_counter() - begin)
    report = measure_report_generation(times)
    return {
        "figures_s": statistics.median(figures),
        "freezing_s": statistics.median(freezing),
        "rows": sum(len(part["rows"]) for part in frozen.values()),
        "report": report,
    }


def describe_parts(result: dict) -> str:
    return (
        f"programme_figures {result['figures_s']:.2f} s; freezing {result['rows']} rows "
        f"{result['freezing_s']:.2f} s (medians of {result['report']['times']}).\n"
        + describe(result["report"])
    )
