"""Issue 21 item 4: while the database is unreachable every page answers a clear 503 with
Retry-After (not a 500), wherever the error was raised; any other error is still a 500."""

import pytest
from django.db import InterfaceError, OperationalError

from seir.errors import RETRY_AFTER_SECONDS, database_unavailable

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection to server at 127.0.0.1 failed: Connection refused"),
        InterfaceError("connection already closed"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_database_away_answers_503_with_retry_after(failing_session, client, error, method):
    failing_session(error)

    response = getattr(client, method)("/ventures/")

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "<h1>The service is briefly unavailable</h1>" in html
    assert f"in about {RETRY_AFTER_SECONDS} seconds" in html
    assert '<html lang="en-GB">' in html


def test_any_other_error_is_still_a_500(failing_session, client):
    failing_session(ValueError("a bug"))

    response = client.get("/ventures/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Sorry, something went wrong" in response.content.decode()


def test_a_database_error_wrapped_in_another_counts():
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as cause:
            raise RuntimeError("while rendering") from cause
    except RuntimeError as wrapped:
        assert database_unavailable(wrapped)
    assert not database_unavailable(ValueError("no"))
    assert not database_unavailable(None)
