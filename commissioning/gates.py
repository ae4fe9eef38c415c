"""The "has a contract" gate condition, registered with ventures.gates from ready()."""

from __future__ import annotations

from seir.prepared import prepared
from ventures.gates import GateKind

from .models import HELD_STATUSES, Contract


@prepared
def _held_contracts(venture_ids):
    """(venture id, service, commissioner) of each held contract, oldest first
    (seir/prepared.py)."""
    return (
        Contract.objects.filter(venture__in=venture_ids, status__in=HELD_STATUSES)
        .order_by("start_date", "id")
        .values_list("venture_id", "service", "commissioner__name")
    )


class HasContractKind(GateKind):
    code = "has_contract"
    label = "Has a contract (signed or live)"

    def prepare(self, ventures, conditions):
        """{venture_id: first held contract's description}, for the batch in one query."""
        held = {}
        for venture_id, service, commissioner in _held_contracts([v.pk for v in ventures]):
            held.setdefault(venture_id, f"{service} for {commissioner}")
        return held

    def evaluate(self, venture, condition, prepared):
        return venture.pk in prepared

    def detail(self, venture, condition, prepared):
        return prepared.get(venture.pk, "")
