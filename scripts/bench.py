"""Time the busiest pages on a realistic pipeline: ~200 ventures with their history.

Builds a throwaway SQLite database in a temporary directory (nothing in var/ is touched),
seeds it with ``seed_demo --ventures N``, signs in as the demo SEiR with Django's test
Client, and times the venture list, the board and one venture's page. Prints the median
and 95th percentile per page, and the number of SQL queries each page ran.

Runs with the test settings (DEBUG off, templates as in production, no manifest needed
for static files) so that the numbers are not inflated by debug tooling.

    python scripts/bench.py [--ventures 200] [--requests 30]
"""

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
MAX_REQUESTS = 500
MAX_VENTURES = 2000


def bounded(maximum):
    def parse(value: str) -> int:
        number = int(value)
        if not 1 <= number <= maximum:
            raise argparse.ArgumentTypeError(f"must be between 1 and {maximum}")
        return number

    return parse


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample at or above ``fraction`` of them."""
    ordered = sorted(samples)
    return ordered[max(1, math.ceil(len(ordered) * fraction)) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ventures", type=bounded(MAX_VENTURES), default=200)
    parser.add_argument("--requests", type=bounded(MAX_REQUESTS), default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="seir-bench-") as tmp:
        # Before Django reads its settings: a private database and var/ directory.
        os.environ["SEIR_VAR_DIR"] = tmp
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ["DJANGO_SETTINGS_MODULE"] = "seir.settings.test"
        os.environ.pop("REDIS_URL", None)
        os.environ.setdefault("LOG_LEVEL", "WARNING")  # no per-request sign-in chatter
        (Path(tmp) / "staticfiles").mkdir()  # WhiteNoise warns when STATIC_ROOT is missing
        sys.path.insert(0, str(BASE_DIR))
        return run(args.ventures, args.requests)


def run(ventures: int, requests: int) -> int:
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from accounts.models import User
    from checklists import demo as checklists_demo
    from commissioning.demo import seed_scale as commissioning_scale
    from ventures.models import Venture

    setup_test_environment()  # allows the "testserver" host and captures templates
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", ventures=ventures, force=True, stdout=quiet)
        # ~20 checklist items per venture (idempotent if seed_demo already made them).
        checklists_demo.seed_demo()
        checklists_demo.seed_scale(ventures=ventures)
        commissioning_scale(ventures=ventures, stdout=quiet)
    seir = User.objects.get(username="seir")
    venture = Venture.objects.filter(seir=seir).order_by("pk").first()
    print(
        f"Seeded {Venture.objects.count()} ventures in {time.perf_counter() - started:.1f} s "
        f"({connection.vendor}); {requests} requests per page as {seir.username!r}."
    )

    client = Client()
    client.force_login(seir)
    pages = {
        "venture list": reverse("ventures:list"),
        "board": reverse("ventures:board"),
        "venture page": reverse("ventures:detail", kwargs={"pk": venture.pk}),
        "due diligence": reverse("checklists:venture", kwargs={"pk": venture.pk}),
        "introductions": reverse("commissioning:introductions"),
        "ledger": reverse("commissioning:ledger"),
        "commissioners": reverse("commissioning:commissioners"),
        "commissioning tab": reverse("commissioning:venture_tab", kwargs={"pk": venture.pk}),
    }

    print(f"\n{'page':<14} {'url':<22} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    failed = False
    for label, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            warm = client.get(url)  # warms caches and templates; counts queries once
        query_count = len(queries)  # read now: the next request clears the query log
        if warm.status_code != 200:
            print(f"{label:<14} {url:<22} answered {warm.status_code}")
            failed = True
            continue
        timings = []
        for _ in range(requests):
            begin = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - begin) * 1000)
            if response.status_code != 200:
                failed = True
        print(
            f"{label:<14} {url:<22} {statistics.median(timings):>10.1f} "
            f"{percentile(timings, 0.95):>8.1f} {query_count:>8}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
