"""Issue 21 item 4: the page a person sees while the database restarts is clear and passes
axe (the soak, scripts/soak.py, sees it under load)."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError

from tests.a11y import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_signed_in_person_sees_a_clear_503_while_the_database_is_down(
    page, live_server, monkeypatch
):
    # given a person with a session, and a database that refuses connections
    def load(self):
        raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(SessionStore, "load", load)
    page.context.add_cookies([{"name": "sessionid", "value": "b" * 32, "url": live_server.url}])

    # when they open the pipeline
    response = page.goto(f"{live_server.url}/ventures/")

    # then they get the "back in a moment" page: a 503 asking to retry, not a 500
    assert response.status == 503
    assert response.headers["retry-after"] == "30"
    assert page.title() == "Back in a moment – SEiR Pipeline"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "The service is briefly unavailable"
    )
    assert page.get_by_role("link", name="go to your start page").get_attribute("href") == "/"
    assert_accessible(page)
