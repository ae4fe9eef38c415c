"""Every browser journey runs under the Content Security Policy: a blocked script, style
or handler is a failure, not a console line nobody reads."""

import pytest


@pytest.fixture(autouse=True)
def _no_csp_violations(page):
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield
    assert blocked == [], "blocked by the Content Security Policy:\n" + "\n".join(blocked)
