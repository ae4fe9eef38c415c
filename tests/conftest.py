"""Fixtures shared by the cross-app and browser tests."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.a11y import assert_accessible
from tests.two_factor import code_for, key_from_secret, totp_code

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
    Where the site asks for a second factor, passes it (``second_factor``).
    """

    def _login(page, live_server, username: str, password: str = "demo"):
        page.goto(f"{live_server.url}/accounts/login/")
        assert_accessible(page)
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url, timeout=10_000)
        second_factor(page, username)
        return page

    return _login


def second_factor(page, username: str) -> None:
    """Pass the second step of signing in as a person would, where the site asks for it:
    set up the app (from the secret shown as text) and keep the backup codes, or type
    the app's current code. Nothing happens for someone who is not asked."""
    if "/account/two-factor/set-up/" in page.url:
        secret = page.locator("#totp-secret").inner_text()
        page.get_by_label("6-digit code from the app").fill(totp_code(key_from_secret(secret)))
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
        page.get_by_role("link", name="I have kept my backup codes").click()
    elif "/account/two-factor/" in page.url:
        page.locator("#id_code").fill(code_for(username))
        page.get_by_role("button", name="Continue").click()
    else:
        return
    page.wait_for_url(lambda url: "/account/two-factor/" not in url, timeout=10_000)


@pytest.fixture
def failing_session(monkeypatch, client):
    """``failing_session(error)``: the session middleware's first read of the database
    raises ``error``, before any view runs (the client answers with the error page)."""
    from django.contrib.sessions.backends.db import SessionStore

    client.raise_request_exception = False
    client.cookies["sessionid"] = "a" * 32

    def fail_with(error):
        def load(self):
            raise error

        monkeypatch.setattr(SessionStore, "load", load)

    return fail_with
