"""Contracts: recorded by the venture's SEiR, moved through their status machine (data)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from events.models import Event
from events.services import event_record
from seir.refusals import require
from ventures.models import Venture

from .. import permissions
from ..models import (
    CONTRACT_TRANSITIONS,
    Commissioner,
    Contract,
    ContractStatus,
    Introduction,
    validate_contract_value,
)
from .errors import CommissioningError, StaleStep


@transaction.atomic
def contract_record(
    *,
    actor: User,
    venture: Venture,
    commissioner: Commissioner,
    service: str,
    value: Decimal,
    start_date: datetime.date,
    end_date: datetime.date,
    status: str = ContractStatus.NEGOTIATING,
    introduction: Introduction | None = None,
) -> Contract:
    require(
        permissions.can_record_for_venture(actor, venture),
        "Only the venture's SEiR can record contracts.",
    )
    if introduction is not None and (
        introduction.venture_id != venture.pk or introduction.commissioner_id != commissioner.pk
    ):
        raise ValidationError(
            {"introduction": "That introduction is for another venture or commissioner."}
        )
    if status not in ContractStatus.values:
        raise ValidationError({"status": "Choose one of the listed statuses."})
    contract = Contract(
        venture=venture,
        commissioner=commissioner,
        introduction=introduction,
        service=service.strip(),
        value=value,
        start_date=start_date,
        end_date=end_date,
        status=status,
        created_by=actor,
    )
    contract.full_clean()
    # After the field's own checks, which answer a value that is no number or below £0.
    try:
        validate_contract_value(contract.value)
    except ValidationError as refusal:
        raise ValidationError({"value": refusal}) from None
    contract.save()
    event_record(
        actor=actor,
        kind="commissioning.contract_recorded",
        subject=contract,
        venture=venture,
        data={
            "commissioner": commissioner.name,
            "service": contract.service,
            "value": str(contract.value),
            "start": start_date.isoformat(),
            "end": end_date.isoformat(),
            "status": status,
            "status_label": ContractStatus(status).label,
        },
        visibility="staff",
    )
    return contract


@transaction.atomic
def contract_set_status(
    *,
    actor: User,
    contract: Contract,
    to_status: str,
    note: str = "",
    expected_status: str | None = None,
) -> Event:
    """Move the contract to ``to_status``; its history is its events (the status it was
    recorded at, then each change: ``selectors.contract_history``)."""
    locked = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("venture", "commissioner")
        .get(pk=contract.pk)
    )
    require(
        permissions.can_record_for_venture(actor, locked.venture),
        "Only the venture's SEiR can change a contract.",
    )
    if expected_status is not None and expected_status != locked.status:
        raise StaleStep(
            f"The contract is “{locked.get_status_display()}” since you loaded the page. "
            "Check it, then try again."
        )
    if to_status not in ContractStatus.values:
        raise CommissioningError("Choose one of the listed statuses.")
    CONTRACT_TRANSITIONS.require(
        locked.status,
        to_status,
        refusal=CommissioningError,
        message="A {current_lower} contract cannot become {target_lower}.",
    )
    from_status = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    event = event_record(
        actor=actor,
        kind="commissioning.contract_status_changed",
        subject=locked,
        venture=locked.venture,
        data={
            "from": from_status,
            "to": to_status,
            "from_label": ContractStatus(from_status).label,
            "to_label": ContractStatus(to_status).label,
            "note": note.strip(),
        },
        visibility="staff",
    )
    contract.status = to_status
    return event
