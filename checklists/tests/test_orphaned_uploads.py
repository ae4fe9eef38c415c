"""An evidence file whose transaction rolls back after the upload block stays in the
storage (issue 18 item 6); the daily housekeeping removes it after the grace period, and
keeps every file a committed row refers to."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from checklists import services
from checklists.factories import pdf_upload
from checklists.models import Evidence
from files.housekeeping import GRACE, orphaned_uploads_remove, referenced_names

pytestmark = pytest.mark.django_db


def test_a_rolled_back_upload_is_removed_after_the_grace_period(item, entrepreneur):
    # given evidence committed, and evidence whose transaction failed after it was stored
    kept = services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload("a.pdf"))
    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = services.evidence_add_file(
            actor=entrepreneur, item=item, upload=pdf_upload("b.pdf", "other")
        )
        raise RuntimeError("a later step of the request failed")
    orphan = rolled_back.file.name
    assert not Evidence.objects.filter(file=orphan).exists()
    assert default_storage.exists(orphan)  # left behind: what the housekeeping is for
    assert kept.file.name in referenced_names()

    # when the housekeeping runs within the grace period, then it keeps both
    assert orphan not in orphaned_uploads_remove(now=timezone.now() + GRACE - timedelta(hours=1))
    assert default_storage.exists(orphan)

    # when it runs after the grace period, then the orphan goes and the kept file stays
    removed = orphaned_uploads_remove(now=timezone.now() + GRACE + timedelta(hours=1))
    assert orphan in removed and kept.file.name not in removed
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept.file.name)
