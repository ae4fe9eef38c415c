"""Two people's changes meeting at the same moment: when the database ends a transaction
because of another one (a deadlock, a serialisation failure, or at commit a row it points
to removed meanwhile), the person gets a clear 409 saying nothing was saved and what to
do, not the 500 page, nor the 503 "database away" page a deadlock used to give."""

import pytest
from django.db import IntegrityError, OperationalError, transaction

from scouting.factories import OrganisationFactory
from scouting.models import Person
from seir.errors import changed_meanwhile, database_unavailable

pytestmark = pytest.mark.django_db

CONFLICT = "<h1>Someone changed the same thing at the same moment</h1>"


class _Driver(Exception):
    """What psycopg2 raises: its SQLSTATE in ``pgcode``."""

    def __init__(self, message, pgcode):
        super().__init__(message)
        self.pgcode = pgcode


def _django_error(kind, message, pgcode):
    """As Django raises it: its own class, the driver's error as the cause."""
    try:
        try:
            raise _Driver(message, pgcode)
        except _Driver as cause:
            raise kind(message) from cause
    except kind as error:
        return error


@pytest.mark.parametrize(
    "error",
    [
        _django_error(OperationalError, "deadlock detected", "40P01"),
        _django_error(OperationalError, "could not serialize access", "40001"),
        _django_error(IntegrityError, "violates foreign key constraint", "23503"),
        IntegrityError("FOREIGN KEY constraint failed"),  # SQLite's words
    ],
)
def test_a_change_that_met_another_answers_409(failing_session, client, error):
    failing_session(error)
    response = client.post("/ventures/")
    assert response.status_code == 409
    assert response["Cache-Control"] == "no-store"
    assert "Retry-After" not in response
    html = response.content.decode()
    assert CONFLICT in html
    assert "What you just sent was not saved" in html
    assert '<html lang="en-GB">' in html


@pytest.mark.parametrize(
    ("error", "status"),
    [
        # A unique key refused: a bug where it reaches here, still the 500 page.
        (_django_error(IntegrityError, "duplicate key value", "23505"), 500),
        (OperationalError("connection refused"), 503),
    ],
)
def test_other_database_errors_answer_as_before(failing_session, client, error, status):
    failing_session(error)
    response = client.get("/ventures/")
    assert response.status_code == status
    assert CONFLICT not in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reference_data_restored")
def test_a_real_foreign_key_refused_at_commit_counts():
    organisation = OrganisationFactory()
    with pytest.raises(IntegrityError) as refused:
        with transaction.atomic():
            Person.objects.create(
                programme_id=organisation.programme_id, name="Nadia", organisation_id=10**9
            )
    assert changed_meanwhile(refused.value)
    assert not database_unavailable(refused.value)
