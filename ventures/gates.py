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

from seir.prepared import prepared

from .models import GateCondition, GateConfirmation, Venture
from .reference import stage_conditions

log = logging.getLogger(__name__)


class GateKind(ABC):
    """Base class for a kind of gate condition."""

    code: str = ""
    label: str = ""
    # Met when the SEiR confirms it on the venture page (with evidence).
    confirmable: bool = False
    # The words of the link to link() (the record the condition is read from).
    link_text: str = "Open the record"
    # Kinds with the same batch name share one prepare() (and so one query) per batch:
    # prepare() then receives the conditions of all of them.
    batch: str = ""

    def prepare(self, ventures: list[Venture], conditions: list[GateCondition]) -> Any:
        """Load what evaluate() needs for all ``ventures`` at once (one query at most)."""
        return None

    @abstractmethod
    def evaluate(self, venture: Venture, condition: GateCondition, prepared: Any) -> bool:
        """Whether ``condition`` holds for ``venture``."""

    def detail(self, venture: Venture, condition: GateCondition, prepared: Any) -> str:
        """Optional evidence or explanation shown beside the condition (met or not)."""
        return ""

    def link(self, venture: Venture, condition: GateCondition, prepared: Any) -> str:
        """Optional URL of the record this condition is read from (e.g. a checklist item)."""
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
    """Met by the SEiR's current confirmation. params (optional): {"covers": "<kind code>"}
    when the confirmation vouches for what another kind reads from its own source (e.g.
    "Due diligence passed" covers "checklist_items_accepted"): while that kind is unmet,
    the confirmation counts only as an override with a written reason."""

    code = "confirmed"
    label = "Confirmed by the SEiR, with evidence"
    confirmable = True

    def prepare(self, ventures, conditions):
        return {
            (venture_id, condition_id): (evidence, override_reason)
            for venture_id, condition_id, evidence, override_reason in _confirmations(
                [v.pk for v in ventures], [c.pk for c in conditions]
            )
        }

    def evaluate(self, venture, condition, prepared):
        return (venture.pk, condition.pk) in prepared

    def detail(self, venture, condition, prepared):
        return prepared.get((venture.pk, condition.pk), ("", ""))[0]

    def override_reason(self, venture, condition, prepared) -> str:
        return prepared.get((venture.pk, condition.pk), ("", ""))[1]


@prepared
def _confirmations(venture_ids, condition_ids):
    """The current confirmations of these conditions for these ventures (seir/prepared.py)."""
    return (
        GateConfirmation.objects.current()
        .filter(venture__in=venture_ids, condition__in=condition_ids)
        .values_list("venture_id", "condition_id", "evidence", "override_reason")
    )


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


def covered_kind(condition: GateCondition) -> GateKind | None:
    """The kind a confirmable condition vouches for (params["covers"]), if any."""
    code = (condition.params or {}).get("covers") if isinstance(condition.params, dict) else None
    return get_kind(code) if code else None


def cover_outstanding(venture: Venture, condition: GateCondition) -> str:
    """What the covered kind says is outstanding for ``venture`` ("" when it holds or when
    ``condition`` covers nothing). One query at most: used by the confirm service."""
    kind = covered_kind(condition)
    if kind is None:
        return ""
    prepared = kind.prepare([venture], [condition])
    if kind.evaluate(venture, condition, prepared):
        return ""
    return _outstanding_text(kind, venture, condition, prepared)


def _outstanding_text(kind: GateKind, venture, condition, prepared) -> str:
    detail = kind.detail(venture, condition, prepared)
    return f"“{kind.label}” is not met" + (f" ({detail.rstrip('.')})." if detail else ".")


# Not frozen: a frozen dataclass sets each field through object.__setattr__, three times
# the cost of building one, and the board builds one per card per condition (~230).
@dataclass(slots=True)
class ConditionResult:
    condition: GateCondition
    met: bool
    confirmable: bool
    detail: str = ""
    # The record the condition is read from (a checklist item...), when there is one.
    url: str = ""
    link_text: str = ""
    # A confirmable condition with a current confirmation (counted or not).
    confirmed: bool = False
    # Met only because the SEiR confirmed it against outstanding items, with this reason.
    override_reason: str = ""
    # What the confirmation would contradict (the covered kind's outstanding items): the
    # confirm form then asks for an override reason.
    outstanding: str = ""

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)


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


def gate_status_many(
    ventures: Iterable[Venture], *, detail: bool = True, shown: bool = False
) -> dict[int, GateStatus]:
    """Each venture's gate for leaving its current stage. Ventures should come with
    ``legal_form`` selected. Queries: one for conditions, plus at most one per kind.

    ``detail=False`` reads only whether each condition is met (and confirmed or
    overridden): no detail, link or outstanding text, which the board's cards do not
    show and which cost it a formatted string and a URL per condition.

    ``shown=True`` is for a page: the conditions come from the reference data
    (``ventures.reference``) rather than a query. A service deciding a move leaves it
    false and reads them from the database."""
    ventures = list(ventures)
    if not ventures:
        return {}
    stage_ids = {v.stage_id for v in ventures}
    by_stage = stage_conditions(stage_ids) if shown else _conditions_read(stage_ids)
    by_kind: dict[str, list[GateCondition]] = defaultdict(list)
    for condition in (c for stage_id in sorted(by_stage) for c in by_stage[stage_id]):
        by_kind[condition.kind].append(condition)
        covered = covered_kind(condition)
        if covered is not None and covered.code not in by_kind:
            # A covered kind is read once for the batch, even when no condition of the
            # stage uses it directly (usually one does, so this costs no query).
            by_kind[covered.code] = []
    prepared = {}
    groups: dict[str, list[str]] = defaultdict(list)
    for code in by_kind:
        kind = get_kind(code)
        if kind is not None:
            groups[kind.batch or code].append(code)
        else:
            log.warning("Unknown gate condition kind %r: treated as unmet", code)
    for codes in groups.values():
        shared = get_kind(codes[0]).prepare(ventures, [c for code in codes for c in by_kind[code]])
        prepared.update(dict.fromkeys(codes, shared))

    statuses = {}
    for venture in ventures:
        results = [
            _result(venture, condition, prepared, detail=detail)
            for condition in by_stage.get(venture.stage_id, [])
        ]
        statuses[venture.pk] = GateStatus(results=results)
    return statuses


def _result(
    venture: Venture, condition: GateCondition, prepared: dict, *, detail: bool
) -> ConditionResult:
    kind = get_kind(condition.kind)
    if kind is None:
        return ConditionResult(condition=condition, met=False, confirmable=False)
    kind_prepared = prepared.get(condition.kind)
    met = met_by_kind = bool(kind.evaluate(venture, condition, kind_prepared))
    override_reason = outstanding = ""
    covered = covered_kind(condition) if kind.confirmable else None
    if covered is not None:
        covered_prepared = prepared.get(covered.code)
        if not covered.evaluate(venture, condition, covered_prepared):
            if detail:
                outstanding = _outstanding_text(covered, venture, condition, covered_prepared)
            # A confirmation contradicting outstanding items counts only as an override.
            reason = getattr(kind, "override_reason", None)
            override_reason = reason(venture, condition, kind_prepared) if met and reason else ""
            met = met and bool(override_reason)
    if not detail:
        return ConditionResult(
            condition=condition,
            met=met,
            confirmable=kind.confirmable,
            confirmed=kind.confirmable and met_by_kind,
            override_reason=override_reason,
        )
    return ConditionResult(
        condition=condition,
        met=met,
        confirmable=kind.confirmable,
        detail=kind.detail(venture, condition, kind_prepared),
        url=kind.link(venture, condition, kind_prepared),
        link_text=kind.link_text,
        confirmed=kind.confirmable and met_by_kind,
        override_reason=override_reason,
        outstanding=outstanding,
    )


def gate_status(venture: Venture, *, shown: bool = False) -> GateStatus:
    return gate_status_many([venture], shown=shown)[venture.pk]


def _conditions_read(stage_ids: set[int]) -> dict[int, list[GateCondition]]:
    """{stage id: its conditions in order}, from the database. A few conditions a stage:
    sorted here, which costs less than Django compiling the ORDER BY (ventures/selectors/
    records.py says why)."""
    by_stage: dict[int, list[GateCondition]] = defaultdict(list)
    for condition in sorted(
        GateCondition.objects.filter(stage_id__in=stage_ids).order_by(),
        key=lambda condition: (condition.order, condition.pk),
    ):
        by_stage[condition.stage_id].append(condition)
    return by_stage
