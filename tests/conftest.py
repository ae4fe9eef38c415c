"""Fixtures shared by the cross-app and browser tests."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.a11y import assert_accessible

# Playwright's sync API runs an asyncio loop in the test thread; without this every ORM
# call (and pytest-django's teardown flush) raises SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Playwright cannot download its own browser here: drive Debian's chromium.
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Debian's wrapper does not add it; a small /dev/shm crashes tabs otherwise.
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists():
    # WhiteNoise warns on every new request handler when STATIC_ROOT is missing, as it is
    # on a fresh clone before any collectstatic.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Bootstrap honours prefers-reduced-motion: buttons and dialogs stop fading, so axe
    # never judges colour contrast on an element caught mid-transition.
    return {**browser_context_args, "reduced_motion": "reduce"}


@pytest.fixture
def login():
    """``login(page, live_server, username, password="demo")``: sign in through the form.

    Checks the sign-in page with axe on the way, and waits until the browser has left it.
    """

    def _login(page, live_server, username: str, password: str = "demo"):
        page.goto(f"{live_server.url}/accounts/login/")
        assert_accessible(page)
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url, timeout=10_000)
        return page

    return _login
