"""Issue 18's two measurements alone, without the gunicorn + wrk load test of ``make bench``:
a reminder run over the programme (``bench.measure_reminders``) and what notifications add
to a stage move's request (``bench.measure_moves``), in one process, on the database of
DATABASE_URL (created beforehand, e.g. ``CREATE DATABASE seirbench18``) and the broker of
REDIS_URL (or the serverless SQLite one without it). Migrates and seeds as ``make bench``
does (``bench.prepare``) unless ``--seeded`` says the database already holds that data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seirbench18 \\
    REDIS_URL=redis://127.0.0.1:6379/9 DJANGO_SETTINGS_MODULE=seir.settings.bench \\
    VENTURES=10000 .venv/bin/python scripts/bench_issue18.py
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

from bench import env_int, prepare
from bench_nudges import measure_moves, measure_reminders
from bench_server import BASE_DIR


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seeded", action="store_true", help="the database is already migrated and seeded"
    )
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to a database made for this run (it is migrated and seeded).")
    ventures = env_int("VENTURES", 10_000, 1, 200_000)
    rounds = env_int("ROUNDS", 3, 1, 10)
    moves = env_int("MOVES", 30, 1, 500)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seir.settings.bench")
    os.environ.setdefault("SEIR_VAR_DIR", tempfile.mkdtemp(prefix="seir-bench18-"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(BASE_DIR))
    started = time.monotonic()
    if options.seeded:
        import django

        django.setup()
    else:
        prepare(ventures)
    print(f"Load average before measuring: {load()}")
    measure_reminders(ventures)
    print(f"Load average after the reminder runs: {load()}")
    measure_moves(rounds=rounds, moves=moves)
    print(f"Load average after the moves: {load()}")
    print(f"Finished in {time.monotonic() - started:.0f} s.")
    return 0


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min) on {os.cpu_count()} core(s)"


if __name__ == "__main__":
    sys.exit(main())
