"""Commissioning models, one module per concern; import them from here."""

from .contracts import (
    CONTRACT_TRANSITIONS,
    HELD_STATUSES,
    Contract,
    ContractStatus,
    ContractStatusChange,
)
from .organisations import (
    MAX_MONEY,
    Commissioner,
    Contact,
    Priority,
    ProcurementRoute,
    ProcurementWindow,
    VentureFocus,
)
from .reference import OrganisationType, OutcomeDomain, ServiceArea, SupportType
from .referrals import (
    COMMISSIONER_MOVES,
    FINAL_STEPS,
    STEP_TRANSITIONS,
    STEPS_NEEDING_NOTE,
    SUCCESS_STEPS,
    Introduction,
    IntroductionStep,
    Step,
    SupportProvider,
    SupportReferral,
    SupportReferralStep,
)

__all__ = [
    "COMMISSIONER_MOVES",
    "CONTRACT_TRANSITIONS",
    "FINAL_STEPS",
    "HELD_STATUSES",
    "MAX_MONEY",
    "STEPS_NEEDING_NOTE",
    "STEP_TRANSITIONS",
    "SUCCESS_STEPS",
    "Commissioner",
    "Contact",
    "Contract",
    "ContractStatus",
    "ContractStatusChange",
    "Introduction",
    "IntroductionStep",
    "OrganisationType",
    "OutcomeDomain",
    "Priority",
    "ProcurementRoute",
    "ProcurementWindow",
    "ServiceArea",
    "Step",
    "SupportProvider",
    "SupportReferral",
    "SupportReferralStep",
    "SupportType",
    "VentureFocus",
]
