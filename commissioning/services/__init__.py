"""Writes. Each service checks the actor's permission, validates, records an event and
runs inside one transaction; everything is re-exported here."""

from .contracts import contract_record, contract_set_status
from .directory import (
    commissioner_account_unlink,
    commissioner_account_unlink_check,
    commissioner_create,
    contact_account_link,
    contact_add,
    priority_create,
    venture_focus_set,
    window_add,
)
from .errors import CommissioningError, StaleStep
from .lifecycle import introduction_make, referral_move, support_referral_make

__all__ = [
    "CommissioningError",
    "StaleStep",
    "commissioner_account_unlink",
    "commissioner_account_unlink_check",
    "commissioner_create",
    "contact_account_link",
    "contact_add",
    "contract_record",
    "contract_set_status",
    "introduction_make",
    "priority_create",
    "referral_move",
    "support_referral_make",
    "venture_focus_set",
    "window_add",
]
