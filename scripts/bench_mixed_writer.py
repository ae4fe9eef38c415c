"""The mixed workload's writer (scripts/bench_mixed.py starts it beside the load): one
change a second through ``ventures.services`` on the bench database, as the demo SEiR,
until its stdin closes."""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PROGRAMME = "Birmingham East and North SEiR programme"  # the demo programme
WRITER_ACTOR = "seir"  # the demo SEiR makes the writer's changes


def writer_main(limit_seconds: float) -> int:
    """One change a second through ventures.services until stdin closes (or
    ``limit_seconds`` pass): alternately a stage move and a profile edit of a random
    active venture of the demo programme. Prints "ready", then a JSON summary."""
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from accounts.models import User
    from ventures import services
    from ventures.models import Venture, VentureStatus
    from ventures.selectors import transition_list

    actor = User.objects.get(username=WRITER_ACTOR)
    ids = list(
        Venture.objects.filter(programme__name=PROGRAMME, status=VentureStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng = random.Random()
    stop = threading.Event()

    def watch_stdin() -> None:
        sys.stdin.read()
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    counts = {"writes": 0, "moves": 0, "edits": 0, "refused": 0, "failed": 0}
    times: list[float] = []
    last_error = ""
    print("ready", flush=True)
    deadline = time.monotonic() + limit_seconds
    tick = time.monotonic()
    number = 0
    while not stop.is_set() and time.monotonic() < deadline:
        number += 1
        started = time.perf_counter()
        try:
            venture = Venture.objects.select_related("stage").get(pk=rng.choice(ids))
            transitions = list(transition_list(venture=venture))
            if number % 2 and transitions and venture.status == VentureStatus.ACTIVE:
                services.venture_move(
                    actor=actor,
                    venture=venture,
                    to_stage=rng.choice(transitions).to_stage,
                    note="Moved by the benchmark's mixed workload.",
                    override_reason="Benchmark: mixed workload",
                )
                counts["moves"] += 1
            else:
                services.venture_update_profile(
                    actor=actor,
                    venture=venture,
                    data={"summary": f"{venture.summary.split(' [bench')[0]} [bench {number}]"},
                    expected_version=venture.version,
                )
                counts["edits"] += 1
            counts["writes"] += 1
            times.append((time.perf_counter() - started) * 1000)
        except services.VentureError as error:  # a refusal (e.g. a concurrent change)
            counts["refused"] += 1
            last_error = getattr(error, "message", str(error))
        except Exception as error:  # noqa: BLE001 - reported, and the run goes on
            counts["failed"] += 1
            last_error = f"{type(error).__name__}: {error}"
        tick += 1
        stop.wait(max(0.0, tick - time.monotonic()))
    times.sort()
    summary = {**counts, "median_ms": times[len(times) // 2] if times else None}
    if last_error:
        summary["last_error"] = last_error[:300]
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 2:
        sys.exit(writer_main(float(sys.argv[1])))
    sys.exit("usage: bench_mixed_writer.py SECONDS (bench_mixed.py runs it)")
