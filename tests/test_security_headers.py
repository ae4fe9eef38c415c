"""Issue 6, item 5: Content Security Policy, Permissions-Policy, HttpOnly CSRF cookie, and
no inline script, event handler or style in any template (so later pages cannot regress)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def seir_client(client):
    client.force_login(member(ProgrammeFactory(), Role.SEIR, username="samira"))
    return client


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password_reset/"])
def test_public_pages_send_the_policy(client, url):
    policy = _policy(client.get(url))

    assert policy == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }


@pytest.mark.parametrize("name", ["home", "ventures:board", "ventures:list", "programmes:list"])
def test_signed_in_pages_send_the_policy_without_unsafe_inline(seir_client, name):
    response = seir_client.get(reverse(name) + ("?stay=1" if name == "home" else ""))

    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


def test_permissions_policy_turns_off_powerful_features(client):
    header = client.get("/accounts/login/").headers["Permissions-Policy"]

    features = dict(item.split("=") for item in header.split(", "))
    assert {"camera", "microphone", "geolocation", "payment", "usb"} <= set(features)
    assert set(features.values()) == {"()"}


def test_csrf_cookie_is_http_only(client):
    response = client.get("/accounts/login/")

    assert response.cookies[settings.CSRF_COOKIE_NAME]["httponly"] is True


def test_pages_carry_the_token_for_scripts(seir_client):
    # The cookie is out of reach of scripts: the page hands htmx and board.js the token.
    body = seir_client.get(reverse("ventures:board")).content.decode()

    assert re.search(
        r"<body hx-headers='\{&quot;X-CSRFToken&quot;: &quot;\w+&quot;\}'|"
        r"<body hx-headers='\{\"X-CSRFToken\": \"\w+\"\}'",
        body,
    )
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in body


def test_hsts_preload_is_off_unless_a_deployment_opts_in():
    def preload(**env):
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from django.conf import settings; "
                "print(settings.SECURE_HSTS_PRELOAD)",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "seir.settings.production",
                "SECRET_KEY": "x" * 50,
                "ALLOWED_HOSTS": "seir.example.nhs.uk",
                **env,
            },
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip().splitlines()[-1]

    assert preload() == "False"
    assert preload(SECURE_HSTS_PRELOAD="true") == "True"


# --- no template may bring inline code or styles back --------------------------------

TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|<[^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def _templates():
    found = sorted(p for d in TEMPLATE_DIRS if d.is_dir() for p in d.rglob("*.html"))
    assert len(found) > 20  # the scan really looks at the project's templates
    return found


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("inline event handler", INLINE_HANDLER),
        ("inline script", INLINE_SCRIPT),
        ("inline style", INLINE_STYLE),
        ("javascript: URL", JS_URL),
    ],
)
def test_no_template_has_inline_code_or_styles(name, pattern):
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)[:80]!r}"
        for path in _templates()
        for match in pattern.finditer(path.read_text())
    ]
    assert offenders == [], f"{name} found (the Content Security Policy blocks it)"


@pytest.mark.parametrize(
    "snippet",
    [
        '<select onchange="this.form.submit()">',
        "<button\n  class='x' onclick='go()'>",
        "<script>alert(1)</script>",
        '<div style="color: red">',
        "<style>p{}</style>",
        '<a href="javascript:void(0)">',
    ],
)
def test_the_scan_catches_each_kind(snippet):
    patterns = [INLINE_HANDLER, INLINE_SCRIPT, INLINE_STYLE, JS_URL]
    assert any(p.search(snippet) for p in patterns)
