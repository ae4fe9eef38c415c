"""The soak's faults, once each, while the simulated people keep working:

- Redis (broker and cache) stopped for 30 s, then started again empty (no persistence:
  every task message in it is lost, which the outbox has to make good);
- PostgreSQL stopped as a crash would (``pg_ctl stop -m immediate``: no checkpoint,
  recovery from the write-ahead log), down a few seconds, then started again;
- the Celery worker killed (SIGKILL, mid-task if it has one) and started again after a
  few seconds, as a supervisor would.

Each fault's window (start, end, in epoch seconds) is recorded for the report and for
judging 503s: a clear 503 is allowed only while the database is down.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

REDIS_DOWN_SECONDS = 30
POSTGRES_DOWN_SECONDS = 5
WORKER_DOWN_SECONDS = 5


@dataclass
class Faults:
    """Runs the schedule in a thread: ``(seconds after start, name)``."""

    redis: object
    postgres: object
    restart_worker: Callable[[], None]
    worker: Callable[[], object]
    schedule: list[tuple[float, str]]
    windows: dict[str, tuple[float, float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._run, name="soak-faults", daemon=True)
        thread.start()
        return thread

    def _run(self) -> None:
        began = time.monotonic()
        for offset, name in sorted(self.schedule):
            if self.stop.wait(max(0.0, offset - (time.monotonic() - began))):
                return
            try:
                getattr(self, f"_{name}")()
            except Exception as error:  # noqa: BLE001 - reported as a failed fault
                self.errors.append(f"{name}: {error}")

    def _log(self, message: str) -> None:
        print(f"[faults {time.strftime('%H:%M:%S')}] {message}", flush=True)

    def _redis(self) -> None:
        started = time.time()
        self._log(f"stopping Redis for {REDIS_DOWN_SECONDS} s")
        self.redis.stop()
        self.stop.wait(REDIS_DOWN_SECONDS)
        self.redis.start()
        self.windows["redis"] = (started, time.time())
        self._log("Redis started again (empty)")

    def _postgres(self) -> None:
        started = time.time()
        self._log("stopping PostgreSQL as a crash would (-m immediate)")
        self.postgres.stop("immediate")
        self.stop.wait(POSTGRES_DOWN_SECONDS)
        self.postgres.start()
        self.windows["postgres"] = (started, time.time())
        self._log("PostgreSQL started again (recovered from its WAL)")

    def _worker(self) -> None:
        started = time.time()
        process = self.worker()
        self._log(f"killing the Celery worker (pid {process.pid}) with SIGKILL")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        self.stop.wait(WORKER_DOWN_SECONDS)
        self.restart_worker()
        self.windows["worker"] = (started, time.time())
        self._log("worker started again")
