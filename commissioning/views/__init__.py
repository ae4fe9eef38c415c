"""Thin views: check access through selectors and permissions, validate a form, call one
service. One module per page family."""

from .directory import (
    commissioner_detail,
    commissioner_list,
    commissioner_new,
    contact_create,
    priority_detail,
    priority_new,
    window_create,
)
from .introductions import (
    export,
    introduction_create,
    introduction_detail,
    introduction_respond,
    introduction_step,
    ledger,
    pipeline,
)
from .ventures import (
    contract_create,
    contract_detail,
    focus_set,
    referral_create,
    referral_detail,
    venture_tab,
)

__all__ = [
    "commissioner_detail",
    "commissioner_list",
    "commissioner_new",
    "contact_create",
    "contract_create",
    "contract_detail",
    "export",
    "focus_set",
    "introduction_create",
    "introduction_detail",
    "introduction_respond",
    "introduction_step",
    "ledger",
    "pipeline",
    "priority_detail",
    "priority_new",
    "referral_create",
    "referral_detail",
    "venture_tab",
    "window_create",
]
