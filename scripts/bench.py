"""Load-test the pipeline pages as a deployment serves them (``make bench``).

1. Creates a throwaway PostgreSQL database (``seir_bench_<pid>`` on BENCH_POSTGRES, by
   default postgres://postgres@127.0.0.1:5432); only when no server answers, a SQLite
   file in a temporary directory instead, and says so.
2. Migrates, seeds ``seed_demo --ventures N`` (N from VENTURES=, default 10,000), runs
   VACUUM ANALYZE (as autovacuum would have on a live database) and collects static
   files into the temporary directory.
   Then, before the load test, issue 18's measurements: a reminder run over the
   programme (measure_reminders) and a stage move's request with notifications on
   against off (measure_moves); scripts/bench_issue18.py runs these two alone.
3. Serves with gunicorn (one worker per core, seir.settings.bench: production settings
   over plain HTTP, plus a reference page), on 127.0.0.1 and a free port.
4. Loads each page with wrk from a separate process (8 connections; the CSV export
   one per worker for three times as long, since one export takes seconds; DURATION= seconds
   per page per round, ROUNDS= rounds with the pages interleaved), signed in as the
   demo SEiR, and prints medians: req/s, p50, p99, SQL queries (counted once with a
   test client, on a warm request), response bytes and throughput as a ratio to the
   reference page. Nothing caches a page: every request is rendered afresh.
5. Issue 19's mixed workload (scripts/bench_mixed.py), after the page rounds, for
   3 x DURATION seconds: at least 12 staff people (the demo's, plus SEiRs added to the
   demo programme) at random over venture pages (40 each), the venture list with random
   filters, sorts and pages, searches and the board, every request a new URL, while
   another process writes one change a second through ventures.services. Its line:
   req/s, p50, p99, errors, ratio to the reference page, the writes made meanwhile.
   MIXED=0 leaves it out; with PAGES=, it runs only when "mixed" is among the labels.
6. Times the CSV export of every venture alone: first byte, total, and the growth of
   the gunicorn worker's peak memory.
7. Always stops gunicorn by its own process id and drops the database.

    VENTURES=10000 ROUNDS=3 DURATION=6 python scripts/bench.py
    PAGES="list,board" VENTURES=50000 python scripts/bench.py   # some pages only
    PAGES="list,mixed" VENTURES=500 ROUNDS=1 DURATION=3 python scripts/bench.py
    MIXED=0 python scripts/bench.py                              # no mixed workload
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench_mixed import describe_mixed, measure_mixed, prepare_mixed
from bench_nudges import measure_moves, measure_reminders
from bench_report import describe, measure_report_generation
from bench_server import (
    BASE_DIR,
    CONNECTIONS,
    create_database,
    drop_database,
    fetch,
    free_port,
    memory_kib,
    run_wrk,
    start_gunicorn,
    stop_gunicorn,
    wait_until_serving,
    worker_pids,
)

DEADLINE_SECONDS = 30 * 60  # the whole run, seeding included
SEIR = "seir"  # the demo SEiR the pages are loaded as
VENTURE = "Saheli Women's Centre"  # a hand-made demo venture with a full history


def env_int(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "") or str(default)
    try:
        value = int(raw)
    except ValueError:
        sys.exit(f"{name} must be a whole number, not {raw!r}.")
    if not low <= value <= high:
        sys.exit(f"{name} must be between {low} and {high}.")
    return value


@dataclass
class Page:
    label: str
    path: str
    queries: int = 0  # SQL queries of a warm request
    size: int = 0
    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    errors: int = 0


# --- the database ------------------------------------------------------------------


def main() -> int:
    ventures = env_int("VENTURES", 10_000, 1, 200_000)
    rounds = env_int("ROUNDS", 3, 1, 10)
    seconds = env_int("DURATION", 6, 1, 60)
    if shutil.which("wrk") is None:
        setup = BASE_DIR / "scripts" / "setup-system.sh"
        print("make bench needs the wrk load generator, which is not installed.", file=sys.stderr)
        print("install it with: apt-get install -y wrk", file=sys.stderr)
        if setup.exists():
            print(f"(or run {setup.relative_to(BASE_DIR)} as root)", file=sys.stderr)
        return 2
    workers = os.cpu_count() or 1
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="seir-bench-") as tmp_name:
        tmp = Path(tmp_name)
        database_url, pg_name = create_database(tmp)
        server = None
        try:
            # Before Django reads its settings; gunicorn inherits the same environment.
            os.environ.update(
                {
                    "DATABASE_URL": database_url,
                    "DJANGO_SETTINGS_MODULE": "seir.settings.bench",
                    "SEIR_VAR_DIR": str(tmp),
                    "LOG_LEVEL": "WARNING",
                }
            )
            os.environ.pop("REDIS_URL", None)
            sys.path.insert(0, str(BASE_DIR))
            cookie, pages, mixed = prepare(ventures)
            plan = prepare_mixed() if mixed else None
            # Before the load test, so that nothing competes with it for the database.
            generation = measure_report_generation()
            print(describe(generation) + "\n")
            measure_reminders(ventures)
            measure_moves()
            port = free_port()
            server = start_gunicorn(port, workers, tmp)
            wait_until_serving(server, port, cookie, tmp)
            print(
                f"gunicorn pid {server.pid}: {workers} worker(s) on 127.0.0.1:{port}; wrk with "
                f"{CONNECTIONS} connections, {seconds} s per page, {rounds} round(s).\n"
            )
            for page in pages:  # warm every worker's caches; read the size served
                for _ in range(workers * 2):
                    status, _, _, page.size = fetch(port, page.path, cookie, timeout=60)
                    if status != 200:
                        print(f"{page.label} answered {status}", file=sys.stderr)
                        return 1
            export = measure_export(server.pid, port, cookie)
            for round_number in range(rounds):
                if time.monotonic() - started > DEADLINE_SECONDS:
                    print(f"Stopped after {round_number} round(s): the run's time is up.")
                    break
                # Interleave, starting each round at a different page.
                order = pages[round_number % len(pages) :] + pages[: round_number % len(pages)]
                for page in order:
                    # A whole export takes seconds: one connection per worker and three
                    # times as long, so that exports complete within the time.
                    is_export = page.path.endswith(".csv")
                    rps, p50, p99, bad = run_wrk(
                        f"http://127.0.0.1:{port}{page.path}",
                        cookie,
                        seconds * 3 if is_export else seconds,
                        workers if is_export else CONNECTIONS,
                    )
                    page.rps.append(rps)
                    page.p50.append(p50)
                    page.p99.append(p99)
                    page.errors += bad
            if not pages[0].rps:
                print("No round finished before the run's time was up: nothing to report.")
                return 1
            mixed_result, mixed_failed = None, False
            if plan is not None:
                # The mixed workload and its writer's start and stop: 3 x DURATION + ~30 s.
                if time.monotonic() - started + seconds * 3 + 30 > DEADLINE_SECONDS:
                    print("Skipped the mixed workload: the run's time is up.")
                else:
                    try:
                        mixed_result = measure_mixed(port, plan, seconds * 3, CONNECTIONS)
                    except RuntimeError as error:
                        print(f"The mixed workload failed: {error}", file=sys.stderr)
                        mixed_failed = True
            report(pages, export, ventures, rounds, mixed_result)
            print(describe(generation))
            mixed_bad = mixed_failed or bool(
                mixed_result and (mixed_result["errors"] or mixed_result["socket_errors"])
            )
            return 1 if mixed_bad or any(page.errors for page in pages) else 0
        finally:
            if server is not None:
                stop_gunicorn(server)
            from django.db import connections

            connections.close_all()
            if pg_name:
                drop_database(pg_name)
            print(f"Finished in {time.monotonic() - started:.0f} s.")


def prepare(ventures: int) -> tuple[str, list[Page], bool]:
    """Migrate, seed, collect static files; a session for the demo SEiR; the pages with
    their query counts (one warm request each through the test client); whether to run
    the mixed workload."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from accounts.models import User
    from accounts.sessions import force_login_verified
    from checklists import demo as checklists_demo
    from commissioning.demo import seed_scale as commissioning_scale
    from scouting.demo import seed_scale as scouting_scale
    from ventures.models import Venture

    begin = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", ventures=ventures, force=True, stdout=quiet)
        # ~20 checklist items per venture (idempotent if seed_demo already made them).
        checklists_demo.seed_demo()
        checklists_demo.seed_scale(ventures=ventures)
        commissioning_scale(ventures=ventures, stdout=quiet)
        # 100,000 scouting meetings beside 10,000 ventures (issue 8), in proportion otherwise.
        scouting_scale(ventures=ventures, stdout=quiet, meetings=10 * ventures)
    seeded = time.perf_counter()
    if connection.vendor == "postgresql":
        # Fresh bulk inserts leave no planner statistics and no visibility map; a live
        # database has both from autovacuum, so measure that steady state.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)
    print(
        f"Migrated in {migrated - begin:.1f} s; seed_demo --ventures {ventures} with the "
        f"checklists', commissioning's and scouting's data in {seeded - migrated:.1f} s ({Venture.objects.count()} ventures, "
        f"{connection.vendor})."
    )
    seir = User.objects.get(username=SEIR)
    venture = Venture.objects.get(name=VENTURE)
    pages = [
        Page("reference", reverse("bench_reference")),
        Page("list", reverse("ventures:list")),
        Page("search q=health", reverse("ventures:list") + "?q=health"),
        Page("sorted by days in stage", reverse("ventures:list") + "?sort=entered"),
        Page("venture page", reverse("ventures:detail", args=[venture.pk])),
        Page("board", reverse("ventures:board")),
        Page("due diligence", reverse("checklists:venture", kwargs={"pk": venture.pk})),
        Page("business plan", reverse("plans:plan", args=[venture.pk])),
        Page("introductions", reverse("commissioning:introductions")),
        Page("ledger", reverse("commissioning:ledger")),
        Page("commissioners", reverse("commissioning:commissioners")),
        Page(
            "commissioning tab",
            reverse("commissioning:venture_tab", kwargs={"pk": venture.pk}),
        ),
        Page("scouting start", reverse("scouting:home")),
        Page("meetings", reverse("scouting:meeting_list")),
        Page("meetings by sector", reverse("scouting:meeting_list") + "?sector=pct"),
        Page("people", reverse("scouting:person_list")),
        Page("organisations", reverse("scouting:organisation_list")),
        Page("ideas", reverse("scouting:idea_list")),
        Page("funding (programme)", reverse("funding:programme")),
        Page("funding tab", reverse("funding:venture", args=[venture.pk])),
        Page("outcomes tab", reverse("outcomes:venture", args=[venture.pk])),
        # The manager's dashboard: a fixed number of aggregate queries (progress.selectors).
        Page("dashboard", reverse("progress:dashboard")),
        Page("CSV export (all)", reverse("ventures:export")),
    ]
    wanted = {label.strip() for label in os.environ.get("PAGES", "").split(",") if label.strip()}
    # The mixed workload: unless MIXED=0, always without PAGES=, and with it when named.
    mixed = os.environ.get("MIXED", "1").strip() != "0" and (not wanted or "mixed" in wanted)
    if wanted:  # PAGES="list,board": only those (and the reference, always)
        unknown = wanted - {page.label for page in pages} - {"mixed"}
        if unknown:
            print(f"PAGES: no page labelled {', '.join(sorted(unknown))} (ignored).")
        pages = [page for page in pages if page.label in wanted or page.label == "reference"]
    setup_test_environment()  # lets the test client's "testserver" host in
    client = Client()
    force_login_verified(client, seir)
    for page in pages:
        client.get(page.path)  # the first request of a process sets up what it keeps
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.path)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        page.queries = len(captured.captured_queries)
    cookie = Client()
    force_login_verified(cookie, seir)
    return cookie.cookies["sessionid"].value, pages, mixed


def measure_export(master: int, port: int, cookie: str, times: int = 3) -> dict:
    """First byte and total time of whole exports, one at a time, and how far the
    workers' peak memory rose above their resident memory before."""
    workers = worker_pids(master)
    before = sum(memory_kib(pid, "VmRSS") for pid in workers)
    first, total = [], []
    size = 0
    for _ in range(times):
        status, first_byte, seconds, size = fetch(port, "/ventures/export.csv", cookie, 120)
        first.append(first_byte * 1000)
        total.append(seconds * 1000)
    after_peak = sum(memory_kib(pid, "VmHWM") for pid in workers)
    return {
        "first_byte_ms": statistics.median(first),
        "total_ms": statistics.median(total),
        "bytes": size,
        "peak_growth_mib": max(0, after_peak - before) / 1024 if workers else None,
    }


def report(
    pages: list[Page], export: dict, ventures: int, rounds: int, mixed: dict | None = None
) -> None:
    reference = statistics.median(pages[0].rps) or float("nan")
    print(
        f"Medians of {len(pages[0].rps)} round(s), {ventures} ventures "
        "(queries: of one warm request):"
    )
    header = (
        f"{'page':<26}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'queries':>9}{'bytes':>10}{'ratio':>8}"
    )
    print(header)
    print("-" * len(header))
    for page in pages:
        rps = statistics.median(page.rps)
        print(
            f"{page.label:<26}{rps:>8.1f}{statistics.median(page.p50):>9.1f}"
            f"{statistics.median(page.p99):>9.1f}"
            f"{page.queries:>9}{page.size:>10}"
            f"{rps / reference:>7.2f}x" + (f"  ({page.errors} non-2xx!)" if page.errors else "")
        )
    if mixed is not None:  # one run of 3 x DURATION, not a median; bytes: the average
        bad = mixed["errors"] + mixed["socket_errors"]
        print(
            f"{'mixed, ' + str(mixed['people']) + ' people':<26}{mixed['rps']:>8.1f}"
            f"{mixed['p50_ms']:>9.1f}{mixed['p99_ms']:>9.1f}{'-':>9}{mixed['bytes']:>10}"
            f"{mixed['rps'] / reference:>7.2f}x" + (f"  ({bad} errors!)" if bad else "")
        )
        print("\n" + describe_mixed(mixed, reference))
    growth = export["peak_growth_mib"]
    print(
        f"\nCSV export of all {ventures} ventures, alone: first byte "
        f"{export['first_byte_ms']:.0f} ms, total {export['total_ms']:.0f} ms, "
        f"{export['bytes']} bytes; workers' peak memory rose "
        + (f"{growth:.1f} MiB" if growth is not None else "(not measurable here)")
        + "."
    )


if __name__ == "__main__":
    sys.exit(main())
