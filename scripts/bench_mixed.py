"""Issue 19's mixed workload for ``make bench``: many staff people at once, and writes.

At least 12 staff people of the demo programme (its administrator, SEiR and manager,
and as many extra SEiRs as it takes, made through accounts' services) each get a
session and a shuffled list of pages: 40 venture pages (random ventures of the
programme), the venture list with random filters, sorts and page numbers, searches for
random words, and the board. wrk (8 connections, like the page rounds) runs a Lua
script that sends each request as a random person, with that person's next page and a
marker that makes every URL new, so no response is ever reused.

Meanwhile another process (``bench_mixed_writer.py``, on the same database as
gunicorn) writes one change a second through ``ventures.services``, alternately a
stage move (``venture_move``, with an override reason when the gate is not met) and a
profile edit (``venture_update_profile``), as the demo SEiR.

``prepare_mixed`` runs in bench.py's process before gunicorn starts (Django set up on
the bench database); ``measure_mixed`` runs against the serving gunicorn after the page
rounds; ``describe_mixed`` is the report's line.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PROGRAMME = "Birmingham East and North SEiR programme"  # the demo programme
PEOPLE = 12  # at least this many staff people
EXTRA_SEIR = "bench-seir-{:02d}"  # usernames of the SEiRs added when the demo has too few
# Each person's pages, shuffled: how many of each kind.
VENTURE_PAGES = 40
LIST_PAGES = 20
SEARCHES = 20
BOARDS = 5
KINDS = ("venture", "list", "search", "board")
LIST_SORTS = ("name", "stage", "entered", "updated", "activity")
# Words searched for besides those of the demo's places, kinds and summaries: some find
# nothing at all, as real searches sometimes do.
EXTRA_WORDS = ("health", "care", "youth", "garden", "mental", "carers", "zzyzx", "museum")
LIST_PAGE_SIZE = 25  # ventures.views.listing.LIST_PAGE_SIZE
MAX_LIST_PAGE = 40  # the list pages through at most 40 pages (seir.paging.COUNT_CAP)


@dataclass
class Person:
    username: str
    role: str
    cookie: str
    urls: list[tuple[str, str]] = field(default_factory=list)  # (kind, path)


@dataclass
class MixedPlan:
    people: list[Person]
    created: int  # extra SEiRs made because the demo had fewer staff people


# --- before gunicorn starts: people, sessions and pages -----------------------------


def prepare_mixed(*, people: int = PEOPLE, seed: int = 19) -> MixedPlan:
    """The staff people (adding SEiRs to the demo programme until there are ``people``),
    a verified session for each and the shuffled pages each of them will ask for."""
    from django.test import Client
    from django.urls import reverse

    from accounts.factories import UserFactory
    from accounts.models import Programme, ProgrammeMembership, User
    from accounts.roles import READ_ROLES, Role
    from accounts.services import membership_add
    from accounts.sessions import force_login_verified
    from demo import content
    from ventures.models import Origin, Stage, VentureStatus

    rng = random.Random(seed)
    programme = Programme.objects.get(name=PROGRAMME)
    staff: dict[int, tuple[User, str]] = {}
    for user in User.objects.filter(is_global_admin=True, is_active=True).order_by("pk"):
        staff[user.pk] = (user, "global administrator")
    for membership in (
        ProgrammeMembership.objects.filter(
            programme=programme,
            role__in=READ_ROLES,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    ):
        staff.setdefault(membership.user_id, (membership.user, Role(membership.role).label))
    created = 0
    number = 0
    while len(staff) < people:
        number += 1
        username = EXTRA_SEIR.format(number)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = UserFactory(username=username, first_name="Bench", last_name=f"SEiR {number}")
            created += 1
        membership_add(programme=programme, user=user, role=Role.SEIR)
        staff.setdefault(user.pk, (user, Role.SEIR.label))

    venture_ids = list(programme.ventures.order_by("pk").values_list("pk", flat=True))
    active = programme.ventures.filter(status=VentureStatus.ACTIVE).count()
    stage_codes = list(
        Stage.objects.filter(programme=programme).order_by("order").values_list("code", flat=True)
    )
    data = content.content()["top_up"]
    words = set(EXTRA_WORDS)
    for text in [*data["places"], *data["kinds"], *data["summaries"], *data["needs"]]:
        words.update(w.lower() for w in re.findall(r"[A-Za-z]{4,}", text.replace("{", " ")))
    words -= {"place", "kind"}  # the summaries' placeholders
    words = sorted(words)
    list_path, board_path = reverse("ventures:list"), reverse("ventures:board")
    last_page = max(1, min(MAX_LIST_PAGE, len(venture_ids) // LIST_PAGE_SIZE))

    def list_query() -> str:
        """Random filters (each present with some chance), a sort and a page number."""
        params = []
        if rng.random() < 0.3:
            params.append(f"stage={rng.choice(stage_codes)}")
        if rng.random() < 0.3:
            params.append(f"status={rng.choice(VentureStatus.values)}")
        if rng.random() < 0.2:
            params.append(f"origin={rng.choice(Origin.values)}")
        if rng.random() < 0.15:
            params.append(f"stale_days={rng.choice([30, 60, 90, 180, 365])}")
        if rng.random() < 0.7:
            params.append(f"sort={rng.choice(['', '-'])}{rng.choice(LIST_SORTS)}")
        # Filters narrow the list: their later pages are mostly past its end (the last
        # page then), as when someone pages on after filtering.
        params.append(f"page={rng.randint(1, last_page)}")
        return "&".join(params)

    def search_query() -> str:
        query = "+".join(rng.sample(words, rng.choice([1, 1, 1, 2])))
        extra = f"&sort={rng.choice(LIST_SORTS)}" if rng.random() < 0.3 else ""
        page = f"&page={rng.randint(2, 4)}" if rng.random() < 0.2 else ""
        return f"q={query}{extra}{page}"

    plan = MixedPlan(people=[], created=created)
    for user, role in staff.values():
        client = Client()
        force_login_verified(client, user)
        urls = [
            ("venture", reverse("ventures:detail", args=[pk]))
            for pk in rng.sample(venture_ids, min(VENTURE_PAGES, len(venture_ids)))
        ]
        urls += [("list", f"{list_path}?{list_query()}") for _ in range(LIST_PAGES)]
        urls += [("search", f"{list_path}?{search_query()}") for _ in range(SEARCHES)]
        urls += [("board", board_path) for _ in range(BOARDS)]
        rng.shuffle(urls)
        plan.people.append(Person(user.username, role, client.cookies["sessionid"].value, urls))
    print(
        f"Mixed workload: {len(plan.people)} staff people"
        + (f" ({created} SEiR(s) added to the demo programme)" if created else "")
        + f", {sum(len(p.urls) for p in plan.people)} pages between them over "
        f"{len(venture_ids)} ventures ({active} active)."
    )
    return plan


# --- against the serving gunicorn -------------------------------------------------------


def _lua_string(text: str) -> str:
    if not text.isascii() or any(ch in text for ch in '"\\\n'):
        raise ValueError(f"not a plain URL or cookie: {text!r}")
    return f'"{text}"'


def mixed_lua(plan: MixedPlan) -> str:
    """wrk's script: each request as a random person, that person's next page (each wrk
    thread starting at a different place in the list), with a marker making it new; it
    counts the kinds asked for and the answers other than 200 (a redirect to the sign-in
    page included), and prints one JSON line at the end."""
    rows = []
    for person in plan.people:
        urls = ",".join(
            f"{{{KINDS.index(kind) + 1},{_lua_string(path)}}}" for kind, path in person.urls
        )
        rows.append(f"{{cookie={_lua_string(person.cookie)},urls={{{urls}}}}}")
    people = "local people = {\n" + ",\n".join(rows) + "\n}\n"
    kinds = "local kinds = {" + ",".join(_lua_string(kind) for kind in KINDS) + "}\n"
    return (
        people
        + kinds
        + """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local position, headers, n = {}, {}, 0
bad, asked = 0, {0, 0, 0, 0}
function init(args)
  math.randomseed(os.time() * 97 + id)
  for p, person in ipairs(people) do
    position[p] = (id * 37) % #person.urls
  end
end

function request()
  local p = math.random(#people)
  local person = people[p]
  position[p] = position[p] % #person.urls + 1
  local url = person.urls[position[p]]
  asked[url[1]] = asked[url[1]] + 1
  n = n + 1
  if not headers[p] then
    headers[p] = {Host = wrk.headers["Host"], Cookie = "sessionid=" .. person.cookie}
  end
  local sep = string.find(url[2], "?", 1, true) and "&" or "?"
  return wrk.format("GET", url[2] .. sep .. "mixed=" .. id .. "-" .. n, headers[p])
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total_bad, total_asked = 0, {0, 0, 0, 0}
  for _, thread in ipairs(threads) do
    total_bad = total_bad + thread:get("bad")
    local counts = thread:get("asked")
    for k = 1, #kinds do
      total_asked[k] = total_asked[k] + counts[k]
    end
  end
  local e = summary.errors
  local parts = {}
  for k = 1, #kinds do
    parts[#parts + 1] = string.format('"%s": %d', kinds[k], total_asked[k])
  end
  io.write(string.format(
    'MIXED {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, '
    .. '"non_200": %d, "socket_errors": %d, "kinds": {%s}}\\n',
    summary.requests, summary.duration, summary.bytes,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(99)), total_bad,
    e.connect + e.read + e.write + e.timeout, table.concat(parts, ", ")))
end
"""
    )


def check_people(port: int, plan: MixedPlan) -> None:
    """Each person's first page of each kind, once: every one must answer 200 (a
    session refused, or a page a person may not see, would otherwise only show up as
    errors at the end)."""
    from bench_server import fetch

    for person in plan.people:
        seen = set()
        for kind, path in person.urls:
            if kind in seen:
                continue
            seen.add(kind)
            status = fetch(port, path, person.cookie, timeout=60)[0]
            if status != 200:
                raise RuntimeError(f"{person.username} ({person.role}): {path} answered {status}")


def _start_writer(seconds: float) -> subprocess.Popen:
    """``bench_mixed_writer.py``, in the environment gunicorn was started with (bench.py
    has set DATABASE_URL and DJANGO_SETTINGS_MODULE); it says "ready" once set up."""
    script = Path(__file__).resolve().with_name("bench_mixed_writer.py")
    writer = subprocess.Popen(  # noqa: S603 - our own fixed command line
        [sys.executable, str(script), str(int(seconds) + 60)],
        cwd=BASE_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = writer.stdout.readline()
    if line.strip() != "ready":
        writer.kill()
        writer.wait()
        raise RuntimeError(f"The writer did not start: {line!r}")
    return writer


def _stop_writer(writer: subprocess.Popen) -> dict:
    """Close its stdin (its signal to stop after the current write); its JSON summary."""
    try:
        output, _ = writer.communicate(input="", timeout=30)
    except subprocess.TimeoutExpired:
        writer.kill()
        writer.wait()
        return {"writes": 0, "refused": 0, "failed": 0, "error": "did not stop"}
    lines = [line for line in output.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {"writes": 0, "refused": 0, "failed": 0}


def measure_mixed(port: int, plan: MixedPlan, seconds: int, connections: int = 8) -> dict:
    """``seconds`` of the mixed workload on 127.0.0.1:``port``, with one write a second
    beside it: req/s, p50 and p99 in ms, non-200 answers, socket errors, average bytes,
    requests of each kind and the writes made while wrk ran."""
    check_people(port, plan)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(mixed_lua(plan))
    writer = _start_writer(seconds)
    try:
        completed = subprocess.run(  # noqa: S603 - our own fixed command line
            [
                shutil.which("wrk") or "wrk",
                f"-t{min(2, connections)}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout=10s",
                "-s",
                lua.name,
                f"http://127.0.0.1:{port}/",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
        )
    finally:
        writes = _stop_writer(writer)
        os.unlink(lua.name)
    found = re.search(r"^MIXED (\{.*\})$", completed.stdout, re.M)
    if completed.returncode != 0 or found is None:
        raise RuntimeError(f"wrk failed: {completed.stderr.strip() or completed.stdout[-2000:]}")
    run = json.loads(found.group(1))
    elapsed = run["duration_us"] / 1e6
    requests = run["requests"]
    return {
        "people": len(plan.people),
        "created": plan.created,
        "seconds": elapsed,
        "requests": requests,
        "rps": requests / elapsed if elapsed else 0.0,
        "p50_ms": run["p50_us"] / 1000,
        "p99_ms": run["p99_us"] / 1000,
        "errors": run["non_200"],
        "socket_errors": run["socket_errors"],
        "bytes": run["bytes"] // requests if requests else 0,
        "kinds": run["kinds"],
        "writes": writes,
        "connections": connections,
    }


def describe_mixed(result: dict, reference_rps: float) -> str:
    writes = result["writes"]
    ratio = result["rps"] / reference_rps if reference_rps else float("nan")
    names = {"venture": "venture pages", "list": "list pages", "search": "searches"}
    kinds = ", ".join(f"{count} {names.get(kind, kind)}" for kind, count in result["kinds"].items())
    problems = f"{result['errors']} non-200"
    if result["socket_errors"]:
        problems += f", {result['socket_errors']} socket errors"
    refused = writes.get("refused", 0) + writes.get("failed", 0)
    return (
        f"Mixed workload: {result['people']} staff people at random over "
        f"{result['connections']} connections for {result['seconds']:.0f} s, "
        f"{result['requests']} requests answered (asked for: {kinds}): {result['rps']:.1f} "
        f"req/s, p50 "
        f"{result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, {problems}, "
        f"{ratio:.2f}x the reference page; meanwhile {writes.get('writes', 0)} writes "
        f"through ventures.services ({writes.get('moves', 0)} stage moves, "
        f"{writes.get('edits', 0)} profile edits"
        + (f", {refused} refused or failed" if refused else "")
        + (
            f", median {writes['median_ms']:.0f} ms each)."
            if writes.get("median_ms") is not None
            else ")."
        )
    )
