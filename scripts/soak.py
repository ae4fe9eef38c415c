"""A soak with faults (``make soak``, issue 21 item 4; docs/reliability.md).

Starts its OWN PostgreSQL (a throwaway cluster) and Redis on their own ports, gunicorn
(seir.settings.soak: production settings over HTTP on loopback), a Celery worker and
beat; drives SOAK_USERS simulated people (50 by default) with Locust through real
journeys for SOAK_SECONDS (600 by default) while scripts/soak_faults.py stops Redis for
30 s, crashes and restarts PostgreSQL and kills the worker, once each. Then lets the
outbox settle and checks (scripts/soak_verify.py): no 5xx but a clear 503 while the
database was down, every successful write found, every outbox row delivered and every
email sent once, gunicorn workers' memory grown under 10%. Prints the figures, writes
them to SOAK_RESULT (JSON) if set, exits 1 on any failure. Everything started is stopped
by its own process id in a finally.

    SOAK_SECONDS=600 SOAK_USERS=50 python scripts/soak.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project, for Django

import soak_seed  # noqa: E402
import soak_services as services  # noqa: E402
import soak_verify as verify  # noqa: E402
from soak_faults import Faults  # noqa: E402

SEIRS = 44  # accounts for the SEiR users (commissioners share the demo commissioner's)
WORKERS = 2  # gunicorn workers
SETTLE_SECONDS = 120  # at most, after the load, for the outbox to empty


def env_int(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "") or str(default)
    if not raw.isdigit() or not low <= int(raw) <= high:
        sys.exit(f"{name} must be a whole number between {low} and {high}, not {raw!r}.")
    return int(raw)


def log(message: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", flush=True)


def workers_rss(master) -> tuple[int, list[int]]:
    pids = services.children(master.pid)
    return sum(services.rss_kib(pid) for pid in pids), pids


def wait_healthy(port: int, gunicorn, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if gunicorn.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:  # noqa: S310
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not become healthy")


def sign_in_sessions(users: int) -> dict[str, list[str]]:
    """A signed-in session per simulated person, as if each had signed in earlier today
    (bench.py does the same): 50 sign-ins at once, each a deliberately slow password hash,
    would be the whole short soak on a small machine. A person whose session is lost
    signs in through the real form (scripts/soak_locustfile.py)."""
    from django.test import Client

    from accounts.models import User
    from accounts.sessions import force_login_verified

    sessions: dict[str, list[str]] = {}
    people = User.objects.filter(username__startswith=soak_seed.SEIR_PREFIX)
    commissioner = User.objects.get(username=soak_seed.COMMISSIONER)
    for user in [*people, *[commissioner] * max(1, users // 5)]:
        client = Client()
        force_login_verified(client, user)  # past the second factor, as bench.py
        sessions.setdefault(user.username, []).append(client.cookies["sessionid"].value)
    return sessions


def send_reminders() -> None:
    """A reminder run, sent to the worker as beat sends it (lost if Redis is down then)."""
    from seir.celery import app

    try:
        app.send_task("reminders.tasks.send_reminders", retry=False)
        log("sent a reminder run to the worker")
    except Exception as error:  # noqa: BLE001 - beat would lose it the same way
        log(f"could not send the reminder run: {error}")


def settle(since: dt.datetime) -> None:
    """Until every outbox row of the soak is delivered (or SETTLE_SECONDS): the drain,
    as beat runs it every minute, every few seconds."""
    from django.db import connections

    from outbox.models import OutboxMessage
    from outbox.tasks import drain_due

    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        try:
            left = OutboxMessage.objects.filter(created_at__gte=since, delivered_at=None).count()
            if not left:
                return
            drain_due()
            log(f"{left} outbox row(s) still undelivered; drained")
        except Exception as error:  # noqa: BLE001
            log(f"settling: {error}")
            connections.close_all()
        time.sleep(3)


def main() -> int:
    seconds = env_int("SOAK_SECONDS", 600, 100, 24 * 3600)
    users = env_int("SOAK_USERS", 50, 1, 1000)
    missing = services.missing_tools()
    if missing:
        print("The soak needs: " + ", ".join(missing), file=sys.stderr)
        return 2
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="seir-soak-"))
    keep = os.environ.get("SOAK_KEEP") == "1"
    pg = services.Postgres(tmp / "pg", services.free_port(range(55430, 55450)))
    redis = services.Redis(tmp / "redis", services.free_port(range(6390, 6400)))
    port = services.free_port(range(8140, 8160))
    var = tmp / "var"
    procs: dict[str, object] = {}
    faults = None
    ok = False
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "seir.settings.soak",
            "DATABASE_URL": pg.url,
            "REDIS_URL": redis.url,
            "SEIR_VAR_DIR": str(var),
            "OUTBOX_RESEND_AFTER_SECONDS": "20",
            "LOG_LEVEL": "WARNING",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "PYTHONUNBUFFERED": "1",
        }
        for key in (
            "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CELERY_TASK_ALWAYS_EAGER",
            "CELERY_TASK_DEFAULT_QUEUE", "EMAIL_URL", "EMAIL_BACKEND", "DJANGO_DEBUG",
        ):  # fmt: skip
            env.pop(key, None)
        os.environ.clear()
        os.environ.update(env)  # this process's Django, for seeding checks and verifying
        setup_log = (tmp / "setup.log").open("a")
        log(f"temporary directory {tmp}; PostgreSQL :{pg.port}, Redis :{redis.port}, web :{port}")
        redis.start()  # before seeding: the cache is Redis
        pg.create()
        how = soak_seed.prepare_database(pg.url, SEIRS, env, setup_log)
        pg.stop("fast")
        pg.start()  # the soak runs with PostgreSQL's defaults (fsync on)
        soak_seed.prepare_static(var, env, setup_log)
        log(f"database {how} and static files ready in {time.monotonic() - started:.0f} s")

        import django

        django.setup()
        from django.db import connections

        procs["gunicorn"] = services.start_gunicorn(port, WORKERS, tmp / "gunicorn.log", env)
        procs["worker"] = services.start_worker(tmp / "worker.log", env)
        procs["beat"] = services.start_beat(tmp, tmp / "beat.log", env)
        wait_healthy(port, procs["gunicorn"])
        since = dt.datetime.now(dt.UTC)

        def restart_worker():
            procs["worker"] = services.start_worker(tmp / "worker.log", env)

        faults = Faults(
            redis=redis,
            postgres=pg,
            restart_worker=restart_worker,
            worker=lambda: procs["worker"],
            schedule=[
                (0.2 * seconds, "redis"),
                (0.5 * seconds, "postgres"),
                (0.75 * seconds, "worker"),
            ],
        )
        sessions = sign_in_sessions(users)
        (tmp / "sessions.json").write_text(json.dumps(sessions))
        locust_env = {
            **env,
            "SOAK_WRITES": str(tmp / "writes.jsonl"),
            "SOAK_ERRORS": str(tmp / "errors.jsonl"),
            "SOAK_SEIRS": str(SEIRS),
            "SOAK_PASSWORD": soak_seed.PASSWORD,
            "SOAK_SESSIONS": str(tmp / "sessions.json"),
        }
        procs["locust"] = services.spawn(
            [
                str(services.VENV_BIN / "locust"), "-f", "scripts/soak_locustfile.py",
                "--headless", "-u", str(users), "-r", str(max(1, users // 10)),
                "-t", f"{seconds}s", "--stop-timeout", "10",
                "--host", f"http://127.0.0.1:{port}", "--csv", str(tmp / "locust"),
                "--only-summary", "--exit-code-on-error", "0",
            ],
            tmp / "locust.log", locust_env,
        )  # fmt: skip
        log(f"{users} simulated people for {seconds} s; faults at {faults.schedule}")
        faults.start()
        warm_at = min(60.0, 0.25 * seconds)
        time.sleep(warm_at)
        warm_rss, warm_pids = workers_rss(procs["gunicorn"])
        log(f"after {warm_at:.0f} s of warm-up: gunicorn workers {warm_pids} use {warm_rss} KiB")
        time.sleep(max(0.0, 0.35 * seconds - warm_at))
        send_reminders()
        time.sleep(0.45 * seconds)  # past the worker's kill
        send_reminders()
        procs["locust"].wait(timeout=seconds)
        end_rss, end_pids = workers_rss(procs["gunicorn"])
        faults.stop.set()
        log(f"load over: gunicorn workers {end_pids} use {end_rss} KiB")
        connections.close_all()
        settle(since)

        errors = verify.read_lines(tmp / "errors.jsonl")
        writes = verify.read_lines(tmp / "writes.jsonl")
        bad_errors = verify.check_errors(errors, faults.windows.get("postgres"))
        kinds, missing_writes = verify.check_writes(writes)
        delivery, delivery_problems = verify.check_delivery(since, var / "mail")
        growth, memory_problems = verify.check_memory(warm_rss, end_rss)
        requests = locust_totals(tmp / "locust_stats.csv")
        problems = [
            *(f"fault {e}" for e in faults.errors),
            *(
                f"fault {n} did not happen"
                for n in ("redis", "postgres", "worker")
                if n not in faults.windows
            ),
            *(f"unexpected {e}" for e in bad_errors),
            *(f"write not found: {m}" for m in missing_writes),
            *delivery_problems,
            *memory_problems,
        ]
        if end_pids != warm_pids:
            problems.append(f"gunicorn workers changed during the run: {warm_pids} -> {end_pids}")
        result = {
            "seconds": seconds,
            "users": users,
            "requests": requests,
            "failed_responses": locust_failures(tmp / "locust_failures.csv"),
            "clear_503": sum(1 for e in errors if e["status"] == 503 and e["clear"]),
            "other_5xx": len(bad_errors),
            "writes": dict(kinds),
            "writes_total": sum(kinds.values()),
            "writes_missing": len(missing_writes),
            "delivery": delivery,
            "rss_kib": {"after_warm_up": warm_rss, "end": end_rss, "growth": round(growth, 4)},
            "faults": {k: [round(v[1] - v[0], 1)] for k, v in faults.windows.items()},
            "problems": problems,
            "wall_seconds": round(time.monotonic() - started),
        }
        report(result)
        if os.environ.get("SOAK_RESULT"):
            Path(os.environ["SOAK_RESULT"]).write_text(json.dumps(result, indent=2))
        ok = not problems
        return 0 if ok else 1
    finally:
        if faults is not None:
            faults.stop.set()
        services.stop_all([procs.get(name) for name in ("locust", "beat", "worker", "gunicorn")])
        redis.stop()
        if pg.running():
            pg.stop("fast")
        if keep or not ok:
            log(f"logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
        log(f"finished in {time.monotonic() - started:.0f} s")


def locust_totals(path: Path) -> dict:
    import csv

    if not path.exists():
        return {}
    for row in csv.DictReader(path.open()):
        if row["Name"] == "Aggregated":
            return {
                "count": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median_ms": float(row["Median Response Time"]),
                "p95_ms": float(row["95%"]),
                "rps": round(float(row["Requests/s"]), 1),
            }
    return {}


def locust_failures(path: Path) -> dict[str, int]:
    """What Locust counted as failed, by status: the clear 503s, and any 4xx (an edit
    conflict, a refused move) which the pass criteria allow but the report shows."""
    import csv

    if not path.exists():
        return {}
    counts: dict[str, int] = {}
    for row in csv.DictReader(path.open()):
        key = f"{row['Error']} {row['Method']} {row['Name']}"
        counts[key] = counts.get(key, 0) + int(row["Occurrences"])
    return counts


def report(result: dict) -> None:
    print("\n=== Soak result ===")
    for key, value in result.items():
        if key != "problems":
            print(f"{key:>16}: {value}")
    if result["problems"]:
        print("FAILED:")
        for problem in result["problems"]:
            print(f"  - {problem}")
    else:
        print(
            "PASSED: no unexpected 5xx, every write found, every notification and reminder "
            "delivered once, gunicorn memory growth under 10%."
        )


if __name__ == "__main__":
    sys.exit(main())
