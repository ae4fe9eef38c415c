"""Writes for funding applications: each checks permission, validates, records one event
and runs in one transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from events.services import event_record
from files.storage import sha256_of, stored_file
from files.validation import validate_upload
from seir.dates import EARLIEST_DAY, LATEST_DAY
from seir.refusals import Refused
from ventures.models import Venture

from . import permissions
from .models import (
    APPLICATION_TRANSITIONS,
    DECISIONS,
    ApplicationStatus,
    Fund,
    FundingApplication,
    FundingDocument,
)

TERMS_FIELDS = ("fund", "funding_type", "purpose", "amount_requested", "deadline")
ANY_TIME_FIELDS = ("notes", "documents")


class FundingError(Refused):
    """A refusal to show the person (never a 500)."""


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _check_documents(documents: str) -> str:
    validate = URLValidator(schemes=["http", "https"])
    lines = [line.strip() for line in documents.splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        try:
            validate(line)
        except ValidationError:
            raise ValidationError(
                {"documents": f"Line {number} is not a web link (https://…): {line[:80]}"}
            ) from None
    return "\n".join(lines)


def _check_deadline(deadline: date | None) -> None:
    # A mistyped year (0226 for 2026) was kept as the year 226: no reminder, no calendar.
    if deadline is not None and not EARLIEST_DAY <= deadline <= LATEST_DAY:
        raise ValidationError(
            {"deadline": f"Give a deadline between {EARLIEST_DAY:%Y} and {LATEST_DAY:%Y}."}
        )


def _check_against_fund(fund: Fund, amount: Decimal | None, field: str = "amount_requested"):
    if amount is not None and fund.maximum is not None and amount > fund.maximum:
        raise ValidationError(
            {field: f"{fund.name} gives at most £{fund.maximum:,.2f} to one application."}
        )


@transaction.atomic
def application_create(
    *,
    actor: User,
    venture: Venture,
    fund: Fund,
    purpose: str,
    amount_requested: Decimal,
    funding_type: str = "",
    deadline: date | None = None,
    notes: str = "",
    documents: str = "",
    at: datetime | None = None,
) -> FundingApplication:
    if not permissions.can_add_application(actor, venture):
        raise PermissionDenied("Only the venture's team and its SEiR can add applications.")
    if not fund.is_active:
        raise ValidationError({"fund": f"{fund.name} is no longer open to applications."})
    _check_against_fund(fund, amount_requested)
    _check_deadline(deadline)
    application = FundingApplication(
        venture=venture,
        fund=fund,
        funding_type=funding_type or fund.funding_type,
        purpose=purpose.strip(),
        amount_requested=amount_requested,
        deadline=deadline,
        notes=notes.strip(),
        documents=_check_documents(documents),
        created_by=actor,
    )
    application.full_clean()
    application.save()
    event_record(
        actor=actor,
        kind="funding.application_added",
        subject=application,
        venture=venture,
        data={
            "fund": fund.name,
            "type": application.get_funding_type_display(),
            "amount_requested": _money(amount_requested),
            "purpose": application.purpose,
        },
        at=at,
    )
    return application


class ApplicationConflict(FundingError):
    def __init__(self, current: FundingApplication):
        super().__init__(
            "Someone else saved this application while you were editing it. Your changes "
            "have not been saved: check the current values, then save again."
        )
        self.current = current


def _lock(application: FundingApplication) -> FundingApplication:
    return (
        FundingApplication.objects.select_for_update(of=("self",))
        .select_related("fund", "venture")
        .get(pk=application.pk)
    )


def _display(application: FundingApplication, field: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if field == "funding_type":
        return str(dict(FundingApplication._meta.get_field(field).flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return f"£{value:,.2f}"
    return str(value)


@transaction.atomic
def application_update(
    *,
    actor: User,
    application: FundingApplication,
    data: dict[str, Any],
    expected_version: int,
) -> list[str]:
    """Change the fields in ``data`` (only those the person changed). Returns the names
    of the fields that changed; refuses a stale version and terms after submission."""
    if not permissions.can_edit_application(actor, application):
        raise PermissionDenied("You cannot change this application.")
    current = _lock(application)
    if current.version != expected_version:
        raise ApplicationConflict(current)
    terms = set(data) & set(TERMS_FIELDS)
    unknown = set(data) - set(TERMS_FIELDS) - set(ANY_TIME_FIELDS)
    if unknown:
        raise PermissionDenied("You cannot change " + ", ".join(sorted(unknown)) + ".")
    if data.get("funding_type", None) == "":
        # A type left blank is the fund's usual one, as when the application was added.
        data = {**data, "funding_type": (data.get("fund") or current.fund).funding_type}
    changes = {}
    for field, new in data.items():
        if field == "documents":
            new = _check_documents(new)
        elif isinstance(new, str):
            new = new.strip()
        old = getattr(current, field)
        if (old.pk if hasattr(old, "pk") else old) == (new.pk if hasattr(new, "pk") else new):
            continue
        changes[field] = (old, new)
    if not changes:
        return []
    if set(changes) & terms and not permissions.can_edit_terms(actor, current):
        raise FundingError(
            "The fund, type, purpose, amount and deadline are fixed once the application "
            f"is {current.get_status_display().lower()}; only notes and documents can change."
        )
    if "deadline" in changes:
        _check_deadline(changes["deadline"][1])
    if "fund" in changes and not changes["fund"][1].is_active:
        raise ValidationError({"fund": f"{changes['fund'][1].name} is no longer open."})
    for field, (_, new) in changes.items():
        setattr(current, field, new)
    _check_against_fund(current.fund, current.amount_requested)
    current.full_clean()
    current.version += 1
    current.save(update_fields=[*changes, "version", "updated_at"])
    application.version = current.version
    event_record(
        actor=actor,
        kind="funding.application_edited",
        subject=current,
        venture=current.venture,
        data={
            "fund": current.fund.name,
            "changes": [
                {
                    "field": str(FundingApplication._meta.get_field(f).verbose_name),
                    "old": _display(current, f, old),
                    "new": _display(current, f, new),
                }
                for f, (old, new) in changes.items()
            ],
        },
    )
    return list(changes)


@transaction.atomic
def application_set_status(
    *,
    actor: User,
    application: FundingApplication,
    to_status: str,
    on: date | None = None,
    amount_awarded: Decimal | None = None,
    note: str = "",
    expected_status: str | None = None,
    at: datetime | None = None,
) -> FundingApplication:
    """Move an application along its lifecycle (the allowed moves are data)."""
    if not permissions.can_edit_application(actor, application):
        raise PermissionDenied("You cannot change this application.")
    current = _lock(application)
    if expected_status is not None and expected_status != current.status:
        raise FundingError(
            f"This application is already {current.get_status_display().lower()}: "
            "someone changed it since you loaded the page."
        )
    APPLICATION_TRANSITIONS.require(
        current.status,
        to_status,
        refusal=FundingError,
        message="A {current_lower} application cannot become {target_lower}.",
    )
    today = timezone.localdate()
    on = on or today
    # "When it happened": a typed year in the future (2062 for 2026) would be kept for
    # good, since the dates are not editable, and would refuse every later decision.
    if on > today:
        raise ValidationError({"on": "The date cannot be in the future."})
    if on < EARLIEST_DAY:
        raise ValidationError({"on": f"Enter a date from {EARLIEST_DAY:%Y} on."})
    if to_status == ApplicationStatus.AWARDED:
        if amount_awarded is None:
            raise ValidationError({"amount_awarded": "Give the amount awarded."})
        _check_against_fund(current.fund, amount_awarded, "amount_awarded")
        current.amount_awarded = amount_awarded
    elif amount_awarded is not None:
        raise ValidationError({"amount_awarded": "Only an award has an amount awarded."})
    from_status = current.status
    current.status = to_status
    fields = ["status", "version", "updated_at"]
    if to_status == ApplicationStatus.SUBMITTED:
        current.submitted_on = on
        fields.append("submitted_on")
    if to_status in DECISIONS:
        if current.submitted_on and on < current.submitted_on:
            raise ValidationError(
                {"on": "The decision cannot come before the application was submitted."}
            )
        current.decision_date = on
        fields += ["decision_date", "amount_awarded"]
    current.full_clean()
    current.version += 1
    current.save(update_fields=fields)
    event_record(
        actor=actor,
        kind="funding.status_changed",
        subject=current,
        venture=current.venture,
        data={
            "fund": current.fund.name,
            "from": from_status,
            "to": to_status,
            "from_label": ApplicationStatus(from_status).label,
            "to_label": ApplicationStatus(to_status).label,
            "on": on.isoformat(),
            "amount_awarded": _money(current.amount_awarded),
            "note": note.strip(),
        },
        at=at,
        on=on,
    )
    application.status, application.version = current.status, current.version
    return current


STORAGE_PREFIX = "funding/documents"


@transaction.atomic
def document_add(*, actor: User, application: FundingApplication, upload) -> FundingDocument:
    """Validate ``upload`` by its content, store it privately and attach it. Validation
    runs before anything is touched; if the row cannot be written the file is deleted."""
    if not permissions.can_edit_application(actor, application):
        raise PermissionDenied("You cannot add documents to this application.")
    checked = validate_upload(upload)  # a ValidationError before any change
    digest = sha256_of(upload)
    # Locked before the check, so a double click's second request waits for the first
    # to commit and then sees its document (instead of breaking the unique constraint).
    application = _lock(application)
    if application.files.filter(sha256=digest).exists():
        raise ValidationError({"file": f"“{checked.original_name}” is already attached."})
    with stored_file(upload, prefix=STORAGE_PREFIX, extension=checked.extension) as name:
        document = FundingDocument(
            application=application,
            file=name,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=digest,
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        document.full_clean()
        document.save()
        event_record(
            actor=actor,
            kind="funding.document_added",
            subject=document,
            venture=application.venture,
            data={"fund": application.fund.name, "file": checked.original_name},
        )
    return document
