"""A double click on "Attach" (PostgreSQL, two connections): the second request waits
for the first to commit, then is told the file is already attached.

Without the lock on the application both requests passed the "already attached" check
and the second broke ``funding_document_once_per_application`` (an error page).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from checklists.factories import pdf_bytes, upload
from funding import services
from funding.models import Fund, FundingDocument
from tests.concurrency import TWO_CONNECTIONS, race

pytestmark = TWO_CONNECTIONS


def test_the_same_file_attached_twice_at_once_is_kept_once(seir, venture):
    application = services.application_create(
        actor=seir,
        venture=venture,
        fund=Fund.objects.get(code="rif"),
        purpose="Pilot",
        amount_requested=Decimal("2500.00"),
    )

    def attach():
        services.document_add(
            actor=seir, application=application, upload=upload("bid.pdf", pdf_bytes("Our bid"))
        )

    raised = race(attach, attach)

    assert [type(error) for error in raised] == [ValidationError]
    assert raised[0].message_dict == {"file": ["“bid.pdf” is already attached."]}
    assert list(FundingDocument.objects.values_list("application", "original_name")) == [
        (application.pk, "bid.pdf")
    ]
    assert len(default_storage.listdir("funding/documents")[1]) == 1
