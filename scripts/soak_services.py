"""The soak's own services (``make soak``): a throwaway PostgreSQL cluster, a Redis, gunicorn
and a Celery worker and beat, each on its own port in a temporary directory, never the
shared 127.0.0.1:5432 / 6379. Every process is started here and stopped by its own id.

Kept apart from scripts/soak.py (what is run and checked) so each stays short.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path(os.environ.get("SOAK_PG_BIN", "/usr/lib/postgresql/15/bin"))


def missing_tools() -> list[str]:
    """What the soak needs and this machine lacks (empty when it can run)."""
    missing = [str(PG_BIN / tool) for tool in ("initdb", "pg_ctl") if not (PG_BIN / tool).exists()]
    if shutil.which("redis-server") is None:
        missing.append("redis-server")
    for tool in ("locust", "gunicorn", "celery"):
        if not (VENV_BIN / tool).exists():
            missing.append(str(VENV_BIN / tool))
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        missing.append("runuser (initdb refuses to run as root)")
    return missing


def free_port(ports: range) -> int:
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    sys.exit(f"No free port in {ports.start}-{ports.stop - 1}.")


def wait_for_port(port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


def stop_process(
    process: subprocess.Popen | None, sig: int = signal.SIGTERM, wait: float = 15
) -> None:
    """Stop one process we started, by its own id."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def stop_all(processes: list) -> None:
    """SIGTERM each process we started (by its id), then wait for them together."""
    running = [p for p in processes if p is not None and p.poll() is None]
    for process in running:
        process.send_signal(signal.SIGTERM)
    for process in running:
        stop_process(process)


class Postgres:
    """A PostgreSQL cluster in ``directory`` on ``port`` (run as the postgres user when we
    are root: initdb refuses root). Stopped with ``pg_ctl stop``."""

    def __init__(self, directory: Path, port: int):
        self.directory = directory
        self.data = directory / "pgdata"
        self.port = port
        self.log = directory / "postgres.log"
        self.as_root = os.geteuid() == 0

    @property
    def url(self) -> str:
        return f"postgres://soak@127.0.0.1:{self.port}/soak"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        done = subprocess.run(  # noqa: S603 - our own fixed command lines
            [*prefix, *command], capture_output=True, text=True, timeout=120
        )
        if check and done.returncode:
            raise RuntimeError(f"{command[0]} failed: {done.stderr or done.stdout}")
        return done

    def create(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            # The postgres user must reach the directory: open the temporary parent too.
            self.directory.parent.chmod(0o755)
            owner = pwd.getpwnam("postgres")
            os.chown(self.directory, owner.pw_uid, owner.pw_gid)
            self.directory.chmod(0o755)
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "soak",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-instructions",
        )
        self.start(fast=True)
        self._run(
            str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "soak", "soak"
        )

    def start(self, *, fast: bool = False) -> None:
        """``fast``: no fsync, for migrating and seeding only (a clean stop then writes
        everything out, and the soak itself runs with the defaults)."""
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.directory} -c max_connections=60 "
            "-c shared_buffers=64MB"
        ) + (" -c fsync=off -c synchronous_commit=off -c full_page_writes=off" if fast else "")
        self._run(
            str(PG_BIN / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(self.data),
            "-l", str(self.log), "-o", options,
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """``immediate`` is a crash: no shutdown checkpoint, recovery from the WAL on start."""
        self._run(
            str(PG_BIN / "pg_ctl"), "stop", "-w", "-t", "60", "-D", str(self.data), "-m", mode,
            check=False,
        )  # fmt: skip

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


class Redis:
    """A Redis without persistence on ``port``: a restart loses every message in it, which
    is what the outbox has to survive."""

    def __init__(self, directory: Path, port: int):
        self.directory = directory
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        log = (self.directory / "redis.log").open("a")
        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server") or "redis-server",
                "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(self.directory),
            ],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        if not wait_for_port(self.port, 15):
            raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        stop_process(self.process)
        self.process = None


def spawn(command: list[str], log: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own fixed command lines
        command,
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def start_gunicorn(port: int, workers: int, log: Path, env: dict) -> subprocess.Popen:
    return spawn(
        [
            str(VENV_BIN / "gunicorn"), "seir.wsgi:application", f"--bind=127.0.0.1:{port}",
            f"--workers={workers}", "--timeout=60", "--graceful-timeout=5",
        ],
        log, env,
    )  # fmt: skip


def start_worker(log: Path, env: dict) -> subprocess.Popen:
    return spawn(
        [
            str(VENV_BIN / "celery"), "-A", "seir", "worker", "--pool=solo",
            "--loglevel=INFO", "--without-mingle", "--without-gossip", "-n", "soak@%h",
        ],
        log, env,
    )  # fmt: skip


def start_beat(directory: Path, log: Path, env: dict) -> subprocess.Popen:
    return spawn(
        [
            str(VENV_BIN / "celery"), "-A", "seir", "beat", "--loglevel=INFO",
            f"--schedule={directory / 'celerybeat-schedule'}",
        ],
        log, env,
    )  # fmt: skip


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
