"""Cost per request of the benchmark's pages in one process, against a database you keep.

``make bench`` measures throughput under load but seeds a throwaway database each time;
this times single requests (test client, bench settings, signed in as the demo SEiR)
against a database seeded once, to compare data sizes or profile one page:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seir_perf python scripts/profile_pages.py seed 10000
    DATABASE_URL=... python scripts/profile_pages.py time [PAGE ...]   # mean ms a request
    DATABASE_URL=... python scripts/profile_pages.py calls [PAGE ...]  # lowest CPU, calls
    DATABASE_URL=... python scripts/profile_pages.py profile PAGE       # cProfile (SORT=, LINES=)
    DATABASE_URL=... python scripts/profile_pages.py sql PAGE           # each query and its time
    DATABASE_URL=... python scripts/profile_pages.py html [PAGE ...]    # the HTML, into OUT=
    DATABASE_URL=... python scripts/profile_pages.py mixed              # the mixed workload by kind

``seed`` migrates and runs ``seed_demo --ventures N`` (add ``--scale`` for the
checklists', commissioning's and scouting's data as ``make bench`` seeds them), then
VACUUM ANALYZE; static files are collected into SEIR_VAR_DIR (default: a directory
under /tmp). N= requests a page (default 40); every request is rendered afresh. The
profile is sorted by SORT= (a pstats key: cumulative, the default, or tottime) and
prints LINES= lines (60). ``calls`` prints each page's lowest CPU time a request over 7
batches of BATCH= requests (this process's and, on PostgreSQL on this machine, its
backend's; default 8, but the backend's CPU is counted in 10 ms ticks, so take 100 to
compare PostgreSQL's share) and the Python function calls one request makes (which, unlike the time, do not depend
on the machine's speed): the measure for comparing two trees.
WHO= signs in someone else than the demo SEiR (``manager`` for the dashboard).
"""

from __future__ import annotations

import cProfile
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seir.settings.bench")
os.environ.setdefault("SEIR_VAR_DIR", str(Path(tempfile.gettempdir()) / "seir-profile"))
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

VENTURE = "Saheli Women's Centre"  # a hand-made demo venture with a full history


def seed(ventures: int, scale: bool) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", ventures=ventures, force=True, stdout=quiet)
        if scale:
            from checklists import demo as checklists_demo
            from commissioning.demo import seed_scale as commissioning_scale
            from scouting.demo import seed_scale as scouting_scale

            checklists_demo.seed_demo()
            checklists_demo.seed_scale(ventures=ventures)
            commissioning_scale(ventures=ventures, stdout=quiet)
            scouting_scale(ventures=ventures, stdout=quiet, meetings=10 * ventures)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)


def pages() -> dict[str, str]:
    from ventures.models import Venture

    venture = Venture.objects.get(name=VENTURE)
    pk = venture.pk
    # The programme's middle venture by id, with the short history most have: the mixed
    # workload's venture pages are random ventures of the programme like it.
    ids = Venture.objects.filter(programme_id=venture.programme_id).order_by("pk")
    typical = ids.values_list("pk", flat=True)[ids.count() // 2]
    ventures = reverse("ventures:list")
    return {
        "reference": reverse("bench_reference"),
        "list": ventures,
        "search": ventures + "?q=health",
        "sorted": ventures + "?sort=entered",
        "by-stage": ventures + "?sort=stage",
        "filtered": ventures + "?stage=startup&status=active&sort=-updated",
        "venture": reverse("ventures:detail", args=[pk]),
        "typical": reverse("ventures:detail", args=[typical]),
        "board": reverse("ventures:board"),
        "checklist": reverse("checklists:venture", kwargs={"pk": pk}),
        "plan": reverse("plans:plan", args=[pk]),
        "commissioning-tab": reverse("commissioning:venture_tab", kwargs={"pk": pk}),
        "funding-tab": reverse("funding:venture", args=[pk]),
        "outcomes-tab": reverse("outcomes:venture", args=[pk]),
        "introductions": reverse("commissioning:introductions"),
        "ledger": reverse("commissioning:ledger"),
        "meetings": reverse("scouting:meeting_list"),
        "people": reverse("scouting:person_list"),
        "ideas": reverse("scouting:idea_list"),
        "dashboard": reverse("progress:dashboard"),
    }


def _backend_cpu():
    """A function giving the CPU seconds this connection's PostgreSQL backend has used
    (read from /proc: the server on this machine), or None where it cannot be read."""
    if connection.vendor != "postgresql":
        return lambda: None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    tick = os.sysconf("SC_CLK_TCK")

    def read():
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / tick  # utime + stime

    return read


def mixed_kinds(get) -> None:
    """The mixed workload's URLs (``bench_mixed.prepare_mixed``: the same people, pages
    and seed as ``make bench``) asked in turn by the demo SEiR, twice: each kind's CPU a
    request (this process's and its PostgreSQL backend's) and its share of the time,
    beside the reference page's; what the workload would serve against the reference,
    with nothing else running. Like ``make bench``, it first adds SEiRs to the demo
    programme until it has 12 staff people (kept: a second run adds none)."""
    sys.path.insert(0, str(BASE_DIR / "scripts"))
    import bench_mixed

    urls: dict[str, list[str]] = {}
    for person in bench_mixed.prepare_mixed().people:
        for kind, path in person.urls:
            urls.setdefault(kind, []).append(path)
    urls["reference"] = [reverse("bench_reference")] * 200
    backend = _backend_cpu()
    costs: dict[str, float] = {}
    for last in (False, True):  # the first round warms every cache
        for kind, paths in urls.items():
            cpu, db = time.process_time(), backend()
            for path in paths:
                get(path)
            python = (time.process_time() - cpu) / len(paths) * 1000
            database = (backend() - db) / len(paths) * 1000 if db is not None else 0.0
            costs[kind] = python + database
            if last:
                print(
                    f"{kind:10} {len(paths):5} URLs  Python {python:6.2f} ms"
                    f"  PostgreSQL {database:5.2f} ms  total {python + database:6.2f} ms"
                )
    reference = costs.pop("reference")
    spent = {kind: cost * len(urls[kind]) for kind, cost in costs.items()}
    mean = sum(spent.values()) / sum(len(urls[kind]) for kind in costs)
    shares = ", ".join(f"{kind} {cost / sum(spent.values()):.0%}" for kind, cost in spent.items())
    print(f"mixed: {mean:.2f} ms a request, {reference / mean:.2f}x the reference; {shares}")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "time"
    if command == "seed":
        seed(int(argv[1]), scale="--scale" in argv)
        return 0
    from accounts.models import User
    from accounts.sessions import force_login_verified

    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    client = Client()
    force_login_verified(client, User.objects.get(username=os.environ.get("WHO", "seir")))
    known = pages()
    wanted = [name for name in argv[1:] if not name.startswith("-")] or list(known)
    unknown = [name for name in wanted if name not in known]
    if unknown:
        print(f"Unknown page(s) {', '.join(unknown)}; pages: {', '.join(known)}")
        return 2
    times = int(os.environ.get("N", "40"))

    def get(path: str) -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")

    if command == "time":
        for name in wanted:
            for _ in range(3):  # warm the caches
                get(known[name])
            with CaptureQueriesContext(connection) as captured:
                get(known[name])
            # Read now: the next request clears the connection's query log.
            queries = len(captured.captured_queries)
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(times):
                get(known[name])
            wall = (time.perf_counter() - wall) / times * 1000
            cpu = (time.process_time() - cpu) / times * 1000
            print(f"{name:14} {wall:6.1f} ms a request ({cpu:5.1f} ms CPU), {queries} queries")
    elif command == "calls":
        batch = int(os.environ.get("BATCH", "8"))
        for name in wanted:
            for _ in range(3):  # warm the caches
                get(known[name])
            backend = _backend_cpu()
            best, best_db = float("inf"), None
            for _ in range(7):
                cpu, db = time.process_time(), backend()
                for _ in range(batch):
                    get(known[name])
                python = (time.process_time() - cpu) / batch * 1000
                database = (backend() - db) / batch * 1000 if db is not None else None
                if python + (database or 0) < best + (best_db or 0):
                    best, best_db = python, database
            profiler = cProfile.Profile()
            profiler.enable()
            get(known[name])
            profiler.disable()
            calls = pstats.Stats(profiler).total_calls
            server = f" + PostgreSQL {best_db:6.2f} ms" if best_db is not None else ""
            print(
                f"{name:14} {best:6.2f} ms CPU{server} (lowest of 7 x {batch}), "
                f"{calls:7,} calls a request"
            )
    elif command == "mixed":
        mixed_kinds(get)
    elif command == "profile":
        path = known[wanted[0]]
        get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(times):
            get(path)
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative"))
        if os.environ.get("CALLERS"):  # who calls the functions matching this pattern
            stats.print_callers(os.environ["CALLERS"])
        else:
            stats.print_stats(int(os.environ.get("LINES", "60")))
    elif command == "sql":
        get(known[wanted[0]])
        with CaptureQueriesContext(connection) as captured:
            get(known[wanted[0]])
        for query in captured.captured_queries:
            print(f"{float(query['time']) * 1000:6.1f} ms  {query['sql']}\n")
    elif command == "html":
        out = Path(os.environ.get("OUT", "page-html"))
        out.mkdir(parents=True, exist_ok=True)
        for name in wanted:
            html = client.get(known[name]).content.decode()
            # What changes on every request (CSRF and one-time submission tokens) blanked,
            # so two trees' pages can be compared with diff.
            html = re.sub(r'"[A-Za-z0-9-]{32,}"', '"…"', html)
            (out / f"{name}.html").write_text(html)
        print(f"{len(wanted)} page(s) in {out}/")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
