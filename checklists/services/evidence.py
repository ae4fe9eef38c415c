"""Adding evidence: uploaded files (validated by content, stored privately) and links."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from events.services import event_record
from files.storage import sha256_of, stored_file
from files.validation import validate_upload
from seir.refusals import require

from ..models import ChecklistItem, Evidence, EvidenceKind, ItemStatus
from ..permissions import checklist_access, evidence_refusal
from ..status import TRANSITIONS
from .errors import ChecklistError, item_data, lock_item
from .status import _apply

STORAGE_PREFIX = "checklists/evidence"


def _prepare(*, actor: User, item: ChecklistItem, replaces: Evidence | None) -> ChecklistItem:
    require(checklist_access(actor, item.checklist.venture).work, "You cannot add evidence here.")
    item = lock_item(item)
    refusal = evidence_refusal(item)
    if refusal:
        raise ChecklistError(refusal)
    if replaces is not None:
        if replaces.item_id != item.pk:
            raise ValidationError({"replaces": "That evidence belongs to another item."})
        replaced = (
            Evidence.objects.filter(pk=replaces.pk, superseded_at__isnull=False)
            .select_related("superseded_by__uploaded_by")
            .first()
        )
        if replaced is not None:
            raise ValidationError({"replaces": _already_replaced(replaced)})
    return item


def _already_replaced(evidence: Evidence) -> str:
    """Evidence replaced meanwhile (a teammate on another page): by what, and by whom."""
    newer = evidence.superseded_by
    by = f" ({newer.uploaded_by.display_name})" if newer and newer.uploaded_by else ""
    what = f" by “{newer.display_name}”{by}" if newer else ""
    return (
        f"“{evidence.display_name}” was already replaced{what}: choose again what this "
        "replaces, or nothing."
    )


def _finish(*, actor: User, item: ChecklistItem, evidence: Evidence, replaces: Evidence | None):
    if replaces is not None:
        Evidence.objects.filter(pk=replaces.pk).update(
            superseded_by=evidence, superseded_at=evidence.uploaded_at
        )
    if item.status == ItemStatus.NOT_STARTED:
        _apply(
            actor=actor,
            item=item,
            move=TRANSITIONS.move(ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS),
            comment="",
            now=evidence.uploaded_at,
        )
    event_record(
        actor=actor,
        kind="checklist.evidence_added",
        subject=item,
        venture=item.checklist.venture,
        data=item_data(
            item,
            evidence_id=evidence.pk,
            kind=evidence.kind,
            name=evidence.display_name[:200],
            replaces=replaces.display_name[:200] if replaces else "",
        ),
        at=evidence.uploaded_at,
    )


@transaction.atomic
def evidence_add_file(
    *, actor: User, item: ChecklistItem, upload, replaces: Evidence | None = None
) -> Evidence:
    """Validate ``upload`` (a Django UploadedFile), store it under a random name and add
    it to the item. Validation happens before anything is touched; if writing the row
    fails, the stored file is deleted again, so nothing half-done is left."""
    checked = validate_upload(upload)  # raises ValidationError before any change
    item = _prepare(actor=actor, item=item, replaces=replaces)
    digest = sha256_of(upload)
    if Evidence.objects.filter(item=item, sha256=digest, superseded_at__isnull=True).exists():
        # A double submit, or the same file chosen twice: keep one copy.
        raise ValidationError(
            {"file": f"“{checked.original_name}” is already attached to this item."}
        )
    with stored_file(upload, prefix=STORAGE_PREFIX, extension=checked.extension) as name:
        evidence = Evidence(
            item=item,
            kind=EvidenceKind.FILE,
            file=name,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=digest,
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        evidence.full_clean()
        evidence.save()
        _finish(actor=actor, item=item, evidence=evidence, replaces=replaces)
    return evidence


@transaction.atomic
def evidence_add_link(
    *, actor: User, item: ChecklistItem, url: str, title: str = "", replaces: Evidence | None = None
) -> Evidence:
    item = _prepare(actor=actor, item=item, replaces=replaces)
    url = url.strip()
    if not url.lower().startswith(("https://", "http://")):
        raise ValidationError({"url": "Enter a web address starting with https://."})
    if (
        Evidence.objects.filter(
            item=item, kind=EvidenceKind.LINK, url=url, superseded_at__isnull=True
        )
        .exclude(pk=replaces.pk if replaces else None)
        .exists()
    ):
        # A double submit, or the same link added twice: keep one (the item is locked).
        # Replacing a link by itself (a better title) is still allowed.
        raise ValidationError({"url": "That link is already attached to this item."})
    evidence = Evidence(
        item=item,
        kind=EvidenceKind.LINK,
        url=url,
        title=title.strip(),
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    evidence.full_clean()
    evidence.save()
    _finish(actor=actor, item=item, evidence=evidence, replaces=replaces)
    return evidence
