"""The soak's simulated people (Locust): SEiRs logging meetings on the phone form, editing
ventures, moving cards on the board, adding notes and checklist evidence and making
introductions; commissioners answering them. Every POST is the page's own form, read
from the HTML as a browser would send it (CSRF token, one-time submission token, htmx
headers for the board's drop).

Every write answered with success is appended to SOAK_WRITES (one JSON line: its kind
and what identifies it), and every 5xx to SOAK_ERRORS, for scripts/soak_verify.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import sys
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.html_forms import page_forms  # noqa: E402 - the same reader the tests use

PASSWORD = os.environ.get("SOAK_PASSWORD", "soak-password")
PEOPLE = int(os.environ.get("SOAK_SEIRS", "44"))
WRITES = open(os.environ.get("SOAK_WRITES", os.devnull), "a", buffering=1)  # noqa: SIM115
ERRORS = open(os.environ.get("SOAK_ERRORS", os.devnull), "a", buffering=1)  # noqa: SIM115
_seir_numbers = iter(range(1, 10_000))
# Sessions signed in beforehand (scripts/soak.py): username -> session ids, one each.
SESSIONS = (
    json.loads(Path(os.environ["SOAK_SESSIONS"]).read_text())
    if os.environ.get("SOAK_SESSIONS")
    else {}
)


def marker() -> str:
    return uuid.uuid4().hex[:16]


def ids(html: str, pattern: str) -> list[int]:
    return sorted({int(n) for n in re.findall(pattern, html)})


class Person(HttpUser):
    abstract = True
    # People read a page before the next click: about one request every 6 s each.
    wait_time = between(3, 9)
    username = ""

    def on_start(self):
        self.signed_in = False

    def take_session(self) -> None:
        """Start signed in, with a session of one's own when the soak made one."""
        waiting = SESSIONS.get(self.username) or []
        if waiting:
            self.client.cookies.set("sessionid", waiting.pop())
            self.signed_in = True

    # --- requests ---------------------------------------------------------------------

    def call(self, method: str, url: str, name: str, **kwargs):
        """One request; a 5xx is recorded (a clear 503 page apart), and a person who got
        one waits a little, as people do, before carrying on."""
        kwargs.setdefault("allow_redirects", False)
        with self.client.request(method, url, name=name, catch_response=True, **kwargs) as r:
            if r.status_code >= 500:
                body = r.text or ""
                clear = (
                    r.status_code == 503
                    and r.headers.get("Retry-After") is not None
                    and "The service is briefly unavailable" in body
                )
                ERRORS.write(
                    json.dumps(
                        {"at": time.time(), "status": r.status_code, "url": url, "clear": clear}
                    )
                    + "\n"
                )
                r.failure(f"{r.status_code}")
            elif r.status_code in (401, 403, 404, 405, 409, 429):
                r.failure(f"{r.status_code}")
            else:
                r.success()
        if r.status_code >= 500:
            time.sleep(random.uniform(1, 3))
            return None
        if r.status_code in (301, 302) and "/accounts/login/" in r.headers.get("Location", ""):
            self.signed_in = False
            return None
        return r

    def page(self, url: str, name: str):
        r = self.call("GET", url, name)
        return r if r is not None and r.status_code == 200 else None

    def sign_in(self) -> bool:
        if self.signed_in:
            return True
        r = self.page("/accounts/login/", "sign in (form)")
        if r is None:
            return False
        form = next(f for f in page_forms(r.text) if "password" in f.names)
        data = {**form.values, "username": self.username, "password": PASSWORD}
        r = self.call("POST", "/accounts/login/", "sign in", data=data)
        self.signed_in = r is not None and r.status_code == 302
        return self.signed_in

    def form(self, r, *, has: str = "", action_ends: str = ""):
        for form in page_forms(r.text):
            if has and has not in form.names:
                continue
            if action_ends and not form.action.endswith(action_ends):
                continue
            return form
        return None

    def post_form(self, url: str, form, data: dict, name: str, headers: dict | None = None):
        return self.call(
            "POST", form.action or url, name, data={**form.values, **data}, headers=headers or {}
        )

    def wrote(self, kind: str, **identity) -> None:
        WRITES.write(
            json.dumps({"kind": kind, "user": self.username, "at": time.time(), **identity}) + "\n"
        )


class Seir(Person):
    weight = 9

    def on_start(self):
        super().on_start()
        number = next(_seir_numbers)
        self.username = f"soak-seir-{(number - 1) % PEOPLE + 1:02d}"
        self.ventures: list[int] = []
        self.take_session()

    def venture(self) -> int | None:
        if not self.ventures:
            r = self.page("/ventures/board/", "board")
            if r is not None:
                self.ventures = ids(r.text, r'data-venture-id="(\d+)"')
        return random.choice(self.ventures) if self.ventures else None

    @task(3)
    def log_meeting(self):
        if not self.sign_in():
            return
        url = "/scouting/meetings/new/"
        r = self.page(url, "meeting form (phone)")
        form = r and self.form(r, has="submission_token")
        if not form:
            return
        mark = marker()
        organisations = [value for value, _, _ in form.options.get("organisations", [])]
        data = {
            "meeting_type": random.choice(["one_to_one", "event", "workshop", "visit"]),
            "location": "Soak test",
            "notes": f"Soak meeting {mark}",
            "followups-0-what": f"Soak follow-up {mark}",
            "followups-0-due": (dt.date.today() + dt.timedelta(days=2)).isoformat(),
        }
        if organisations:
            data["organisations"] = random.choice(organisations)
        r = self.post_form(url, form, data, "meeting form (save)")
        if (
            r is not None
            and r.status_code == 302
            and "/scouting/meetings/" in r.headers["Location"]
        ):
            self.wrote("meeting", marker=mark)

    @task(2)
    def edit_venture(self):
        if not self.sign_in() or (pk := self.venture()) is None:
            return
        url = f"/ventures/{pk}/edit/"
        r = self.page(url, "venture edit form")
        form = r and self.form(r, has="version")
        if not form:
            return
        mark = marker()
        r = self.post_form(url, form, {"area": f"Soak area {mark}"}, "venture edit (save)")
        if r is not None and r.status_code == 302:
            self.wrote("venture_edit", venture=pk, marker=mark)

    @task(2)
    def move_card(self):
        if not self.sign_in():
            return
        r = self.page("/ventures/board/", "board")
        if r is None:
            return
        cards = re.findall(
            r'data-venture-id="(\d+)" data-stage-id="(\d+)"\s+data-move-url="([^"]+)"', r.text
        )
        columns = ids(r.text, r'class="board-cards[^"]*" data-stage-id="(\d+)"')
        token = re.search(r'"X-CSRFToken": "([^"]+)"', r.text)
        if not cards or len(columns) < 2 or token is None:
            return
        self.ventures = [int(card[0]) for card in cards]
        venture, stage, move_url = random.choice(cards)
        to_stage = random.choice([c for c in columns if c != int(stage)])
        headers = {
            "HX-Request": "true",
            "HX-Current-URL": f"{self.host}/ventures/board/",
            "X-CSRFToken": token.group(1),
        }
        data = {
            "to_stage": to_stage,
            "expected_stage": stage,
            "drop": "1",
            "next": "/ventures/board/",
        }
        r = self.call("POST", move_url, "board drop (move)", data=data, headers=headers)
        if r is not None and r.status_code == 204:
            self.wrote("move", venture=int(venture), to_stage=to_stage)

    @task(2)
    def add_note(self):
        if not self.sign_in() or (pk := self.venture()) is None:
            return
        url = f"/ventures/{pk}/"
        r = self.page(url, "venture page")
        form = r and self.form(r, action_ends="/notes/")
        if not form:
            return
        mark = marker()
        r = self.post_form(url, form, {"body": f"Soak note {mark}"}, "venture note (add)")
        if r is not None and r.status_code == 302:
            self.wrote("note", venture=pk, marker=mark)

    @task(1)
    def add_evidence(self):
        if not self.sign_in() or (pk := self.venture()) is None:
            return
        r = self.page(f"/checklists/ventures/{pk}/", "checklist")
        items = ids(r.text, r'href="/checklists/items/(\d+)/"') if r is not None else []
        if not items:
            return
        url = f"/checklists/items/{random.choice(items)}/"
        r = self.page(url, "checklist item")
        form = r and self.form(r, action_ends="/evidence/link/")
        if not form:
            return
        mark = marker()
        data = {"link-url": f"https://example.org/soak/{mark}", "link-title": f"Soak {mark}"}
        r = self.post_form(url, form, data, "checklist evidence (link)")
        if r is not None and r.status_code == 302:
            self.wrote("evidence", marker=mark)

    @task(1)
    def make_introduction(self):
        if not self.sign_in():
            return
        url = "/commissioning/introductions/new/"
        r = self.page(url, "introduction form")
        form = r and self.form(r, has="purpose")
        if not form:
            return
        ventures = [v for v, _, _ in form.options.get("venture", []) if v]
        contacts = [c for c, label, _ in form.options.get("contact", []) if "Claire Evans" in label]
        if not ventures or not contacts:
            return
        mark = marker()
        data = {
            "venture": random.choice(ventures),
            "contact": contacts[0],
            "purpose": f"Soak introduction {mark}",
        }
        r = self.post_form(url, form, data, "introduction (make)")
        if r is not None and r.status_code == 302:
            self.wrote("introduction", marker=mark)

    @task(3)
    def browse(self):
        if not self.sign_in():
            return
        for url, name in random.sample(
            [
                ("/ventures/", "venture list"),
                ("/ventures/board/", "board"),
                ("/scouting/", "scouting start"),
                ("/scouting/meetings/", "meetings"),
                ("/commissioning/introductions/", "introductions"),
                ("/inbox/notifications/", "notifications"),
            ],
            2,
        ):
            self.page(url, name)


class Commissioner(Person):
    weight = 1
    username = "commissioner"

    def on_start(self):
        super().on_start()
        self.take_session()

    @task(3)
    def respond(self):
        if not self.sign_in():
            return
        r = self.page("/commissioning/introductions/?step=requested", "introductions (requested)")
        waiting = ids(r.text, r'href="/commissioning/introductions/(\d+)/"') if r else []
        if not waiting:
            return
        pk = random.choice(waiting)
        url = f"/commissioning/introductions/{pk}/"
        r = self.page(url, "introduction")
        form = r and self.form(r, action_ends="/respond/")
        if not form:
            return
        mark = marker()
        data = {
            "answer": "agree",
            "proposed_date_1": (dt.date.today() + dt.timedelta(days=14)).isoformat(),
            "reason": f"Soak answer {mark}",
        }
        r = self.post_form(url, form, data, "introduction (respond)")
        if r is not None and r.status_code == 302:
            self.wrote("respond", introduction=pk, marker=mark)

    @task(1)
    def browse(self):
        if self.sign_in():
            self.page("/commissioning/introductions/", "introductions")
