"""Stage gates: what must hold for a venture to leave its stage.

Conditions are rows (GateCondition) naming a *kind*; kinds are evaluators registered
here. Later apps register their own kinds from AppConfig.ready() (e.g. commissioning's
"contract won"), so ventures never imports them. Every kind evaluates a whole batch of
ventures with a fixed number of queries, so the board and lists never grow an N+1.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .models import GateCondition, GateConfirmation, Venture

log = logging.getLogger(__name__)


class GateKind(ABC):
    """Base class for a kind of gate condition."""

    code: str = ""
    label: str = ""
    # Met when the SEiR confirms it on the venture page (with evidence).
    confirmable: bool = False

    def prepare(self, ventures: list[Venture], conditions: list[GateCondition]) -> Any:
        """Load what evaluate() needs for all ``ventures`` at once (one query at most)."""
        return None

    @abstractmethod
    def evaluate(self, venture: Venture, condition: GateCondition, prepared: Any) -> bool:
        """Whether ``condition`` holds for ``venture``."""

    def detail(self, venture: Venture, condition: GateCondition, prepared: Any) -> str:
        """Optional evidence or explanation shown beside the condition."""
        return ""


_registry: dict[str, GateKind] = {}


def register(kind: GateKind) -> GateKind:
    if not kind.code:
        raise ValueError("A gate kind needs a code.")
    _registry[kind.code] = kind
    return kind


def kind_choices() -> list[tuple[str, str]]:
    return [(code, kind.label) for code, kind in sorted(_registry.items())]


def get_kind(code: str) -> GateKind | None:
    return _registry.get(code)


class ConfirmedKind(GateKind):
    code = "confirmed"
    label = "Confirmed by the SEiR, with evidence"
    confirmable = True

    def prepare(self, ventures, conditions):
        return {
            (venture_id, condition_id): evidence
            for venture_id, condition_id, evidence in GateConfirmation.objects.current()
            .filter(
                venture__in=[v.pk for v in ventures],
                condition__in=[c.pk for c in conditions],
            )
            .values_list("venture_id", "condition_id", "evidence")
        }

    def evaluate(self, venture, condition, prepared):
        return (venture.pk, condition.pk) in prepared

    def detail(self, venture, condition, prepared):
        return prepared.get((venture.pk, condition.pk), "")


class FieldFilledKind(GateKind):
    """params: {"field": "<venture field name>"} — met when the field has a value."""

    code = "field_filled"
    label = "A venture profile field is filled in"

    def evaluate(self, venture, condition, prepared):
        name = condition.params.get("field", "")
        if not name or not hasattr(venture, name):
            log.warning("Gate condition %s names unknown field %r", condition.pk, name)
            return False
        value = getattr(venture, name)
        return bool(value.strip()) if isinstance(value, str) else value is not None


class LegalFormIncorporatedKind(GateKind):
    code = "legal_form_incorporated"
    label = "Legal form chosen and incorporated"

    def evaluate(self, venture, condition, prepared):
        return venture.legal_form is not None and venture.legal_form.is_incorporated


class HasLeadKind(GateKind):
    code = "has_lead"
    label = "A lead entrepreneur is named"

    def evaluate(self, venture, condition, prepared):
        return venture.lead_id is not None


for _kind in (ConfirmedKind(), FieldFilledKind(), LegalFormIncorporatedKind(), HasLeadKind()):
    register(_kind)


@dataclass(frozen=True)
class ConditionResult:
    condition: GateCondition
    met: bool
    confirmable: bool
    detail: str = ""


@dataclass
class GateStatus:
    results: list[ConditionResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(r.met for r in self.results)

    @property
    def unmet(self) -> list[ConditionResult]:
        return [r for r in self.results if not r.met]

    @property
    def met_count(self) -> int:
        return sum(1 for r in self.results if r.met)


def gate_status_many(ventures: Iterable[Venture]) -> dict[int, GateStatus]:
    """Each venture's gate for leaving its current stage. Ventures should come with
    ``legal_form`` selected. Queries: one for conditions, plus at most one per kind."""
    ventures = list(ventures)
    if not ventures:
        return {}
    conditions = list(
        GateCondition.objects.filter(stage_id__in={v.stage_id for v in ventures}).order_by(
            "stage_id", "order", "id"
        )
    )
    by_stage: dict[int, list[GateCondition]] = defaultdict(list)
    by_kind: dict[str, list[GateCondition]] = defaultdict(list)
    for condition in conditions:
        by_stage[condition.stage_id].append(condition)
        by_kind[condition.kind].append(condition)
    prepared = {}
    for code, kind_conditions in by_kind.items():
        kind = get_kind(code)
        if kind is not None:
            prepared[code] = kind.prepare(ventures, kind_conditions)
        else:
            log.warning("Unknown gate condition kind %r: treated as unmet", code)

    statuses = {}
    for venture in ventures:
        results = []
        for condition in by_stage.get(venture.stage_id, []):
            kind = get_kind(condition.kind)
            kind_prepared = prepared.get(condition.kind)
            met = bool(kind and kind.evaluate(venture, condition, kind_prepared))
            results.append(
                ConditionResult(
                    condition=condition,
                    met=met,
                    confirmable=bool(kind and kind.confirmable),
                    detail=kind.detail(venture, condition, kind_prepared) if kind and met else "",
                )
            )
        statuses[venture.pk] = GateStatus(results=results)
    return statuses


def gate_status(venture: Venture) -> GateStatus:
    return gate_status_many([venture])[venture.pk]
