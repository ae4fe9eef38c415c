"""The machinery of ``make bench``: a throwaway database, gunicorn, wrk and /proc.

Kept apart from scripts/bench.py (what is measured and reported) so each stays short.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PORTS = range(8120, 8140)
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
CONNECTIONS = 8


def create_database(tmp: Path) -> tuple[str, str | None]:
    """(DATABASE_URL, PostgreSQL database name or None when on SQLite)."""
    import psycopg2

    name = f"seir_bench_{os.getpid()}"
    try:
        admin = psycopg2.connect(f"{POSTGRES}/postgres", connect_timeout=3)
    except psycopg2.OperationalError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else error
        print(f"!! No PostgreSQL server answers at {POSTGRES} ({first_line}).")
        print("!! Falling back to SQLite: these figures are NOT comparable with PostgreSQL's.")
        return f"sqlite:///{tmp / 'bench.sqlite3'}", None
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    print(f"PostgreSQL {version}: created the throwaway database {name}.")
    return f"{POSTGRES}/{name}", name


def drop_database(name: str) -> None:
    import psycopg2

    admin = psycopg2.connect(f"{POSTGRES}/postgres", connect_timeout=3)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()
    print(f"Dropped the database {name}.")


# --- the server ----------------------------------------------------------------------


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    sys.exit(f"No free port in {PORTS.start}-{PORTS.stop - 1}.")


def start_gunicorn(port: int, workers: int, tmp: Path) -> subprocess.Popen:
    log = (tmp / "gunicorn.log").open("w")
    return subprocess.Popen(  # noqa: S603 - our own fixed command line
        [
            str(VENV_BIN / "gunicorn"),
            "seir.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--timeout=60",
            "--graceful-timeout=5",
        ],
        cwd=BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # its own pid: gunicorn stops its workers itself
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=5)
    print(f"Stopped gunicorn (pid {server.pid}).")


def fetch(port: int, path: str, cookie: str, timeout: float = 30) -> tuple[int, float, float, int]:
    """GET ``path``: (status, seconds to first byte, seconds in all, bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
    response = conn.getresponse()
    first = response.read(1)
    first_byte = time.perf_counter() - started
    size = len(first) + len(response.read())
    total = time.perf_counter() - started
    conn.close()
    return response.status, first_byte, total, size


def wait_until_serving(server: subprocess.Popen, port: int, cookie: str, tmp: Path) -> None:
    for _ in range(300):
        if server.poll() is not None:
            sys.exit("gunicorn exited:\n" + (tmp / "gunicorn.log").read_text()[-3000:])
        try:
            if fetch(port, "/bench/reference/", cookie, timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit("gunicorn did not answer within 30 s.")


def worker_pids(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


def memory_kib(pid: int, key: str) -> int:
    """VmRSS (now) or VmHWM (peak) of a process, in KiB; 0 where /proc is unavailable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- the load generator --------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


# Makes every request's URL unique (``uncached=<thread>-<n>``), so that no request is
# answered from the fragment cache: what a page costs when it has to be rendered.
UNIQUE_URLS_LUA = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local n = 0
function request()
  n = n + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "uncached=" .. id .. "-" .. n)
end
"""


def run_wrk(
    url: str, cookie: str, seconds: int, connections: int, *, unique_urls: bool = False
) -> tuple[float, float, float, int]:
    """(req/s, p50 ms, p99 ms, non-2xx responses) for ``seconds`` of load; with
    ``unique_urls``, no two requests ask for the same URL."""
    script = []
    if unique_urls:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(UNIQUE_URLS_LUA)
        script = ["-s", lua.name]
    try:
        output = subprocess.run(  # noqa: S603 - our own fixed command line
            [
                shutil.which("wrk") or "wrk",
                f"-t{min(2, connections)}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout=10s",
                "--latency",
                *script,
                "-H",
                f"Cookie: sessionid={cookie}",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
            check=True,
        ).stdout
    finally:
        if script:
            os.unlink(script[1])
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    if errors or not rps:
        print(f"wrk on {url}: {errors.group(0) if errors else 'no responses'}", file=sys.stderr)
    return rps, p50, p99, int(bad.group(1)) if bad else 0


# --- the run ---------------------------------------------------------------------------
