"""The demo's texts (people, programmes, ventures, notes), kept as data in
``demo/data/demo.json`` apart from the code that writes them through the services."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo.json"


@cache
def content() -> dict:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def users() -> list[dict]:
    """Demo logins: username, first_name, last_name, role (a Role value)."""
    return content()["users"]


def ventures() -> list[dict]:
    """The hand-made ventures of the demo programme."""
    return content()["ventures"]
