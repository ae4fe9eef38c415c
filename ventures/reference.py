"""The pipeline's reference data as its pages show it: programmes, legal forms, stages,
each stage's gate conditions and the moves out of it.

They change a few times a year (an administrator's edit), yet the venture page read the
gate's conditions and the stage's moves, and the board its stages, conditions and moves,
with a query each on every request: ~0.5 ms apiece of Django building and compiling SQL
before PostgreSQL planned it. Here they are read in one round trip to the shared cache
(``seir.refcache``), renewed by any save or deletion of one of them (``ventures.apps``),
at once and again after the commit. A stage missing from the cache (written by another
database client) is read from the database.

Only pages read this. A service deciding a move, a gate or an allowed transition reads
the database inside its transaction (``venture_move``), as ``seir.refcache`` requires.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from accounts.models import Programme
from accounts.permissions import user_is_global_admin, user_programme_roles
from accounts.selectors import programmes_visible_to
from seir import refcache

from .models import GateCondition, LegalForm, Stage, StageTransition

CACHE_KEY = "ventures:reference"

# What saving or deleting renews (with the accounts models the list's filter offers).
MODELS = (LegalForm, Stage, GateCondition, StageTransition)


@dataclass(frozen=True)
class Reference:
    programmes: dict[int, Programme]
    legal_forms: dict[int, LegalForm]
    stages: dict[int, Stage]
    # By stage id, in the gate's order; each with its stage attached.
    conditions: dict[int, list[GateCondition]]
    # By the stage they leave, in the order of the stages they lead to; each with its
    # stages attached.
    transitions: dict[int, list[StageTransition]]


def _condition_order(condition: GateCondition) -> tuple[int, int]:
    return (condition.order, condition.pk)


def _transition_order(transition: StageTransition) -> tuple[int, int]:
    return (transition.to_stage.order, transition.pk)


def _attach(
    stages: dict[int, Stage],
    conditions: Iterable[GateCondition],
    transitions: Iterable[StageTransition],
) -> tuple[dict[int, list[GateCondition]], dict[int, list[StageTransition]]]:
    # Each kind is its own query: a row whose stage was added after the stages were read
    # is left for the next read (that stage's save set a new version).
    by_stage: dict[int, list[GateCondition]] = defaultdict(list)
    for condition in conditions:
        if condition.stage_id in stages:
            condition.stage = stages[condition.stage_id]
            by_stage[condition.stage_id].append(condition)
    leaving: dict[int, list[StageTransition]] = defaultdict(list)
    for transition in transitions:
        if transition.from_stage_id in stages and transition.to_stage_id in stages:
            transition.from_stage = stages[transition.from_stage_id]
            transition.to_stage = stages[transition.to_stage_id]
            leaving[transition.from_stage_id].append(transition)
    for each in by_stage.values():
        each.sort(key=_condition_order)
    for each in leaving.values():
        each.sort(key=_transition_order)
    return dict(by_stage), dict(leaving)


def _build() -> Reference:
    # Unordered: a few hundred rows at most, sorted in Python (ventures.selectors.records).
    programmes = {programme.pk: programme for programme in Programme.objects.order_by()}
    stages = {stage.pk: stage for stage in Stage.objects.order_by()}
    for stage in stages.values():
        # Attached, so that no reader loads it into an instance the process shares.
        stage.programme = programmes[stage.programme_id]
    conditions, transitions = _attach(
        stages, GateCondition.objects.order_by(), StageTransition.objects.order_by()
    )
    return Reference(
        programmes=programmes,
        legal_forms={form.pk: form for form in LegalForm.objects.order_by()},
        stages=stages,
        conditions=conditions,
        transitions=transitions,
    )


def reference() -> Reference:
    """The reference data, from the shared cache while none of it has changed, and kept
    in the process while its version stands (``in_process``): nothing changes what it
    holds (a venture is given its programme or legal form, never the reverse)."""
    return refcache.cached(CACHE_KEY, _build, in_process=True)


def _read(stage_ids: set[int]) -> Reference:
    """The stages ``stage_ids`` with their conditions and moves, from the database."""
    stages = {
        stage.pk: stage
        for stage in Stage.objects.filter(
            pk__in=stage_ids
            | set(
                StageTransition.objects.filter(from_stage_id__in=stage_ids).values_list(
                    "to_stage_id", flat=True
                )
            )
        ).order_by()
    }
    conditions, transitions = _attach(
        stages,
        GateCondition.objects.filter(stage_id__in=stage_ids).order_by(),
        StageTransition.objects.filter(from_stage_id__in=stage_ids).order_by(),
    )
    return Reference({}, {}, stages, conditions, transitions)


def _for_stages(wanted: set[int], part: str) -> dict:
    """``part`` ("conditions" or "transitions") of the stages ``wanted``."""
    cached = reference()
    missing = wanted - cached.stages.keys()
    found = {**getattr(cached, part), **(getattr(_read(missing), part) if missing else {})}
    return {pk: found[pk] for pk in wanted if pk in found}


def stage_conditions(stage_ids: Iterable[int]) -> dict[int, list[GateCondition]]:
    """{stage id: its gate conditions in order} for ``stage_ids`` (a stage with none is
    left out)."""
    return _for_stages(set(stage_ids), "conditions")


def stage_transitions(stage_ids: Iterable[int]) -> dict[int, list[StageTransition]]:
    """{stage id: the moves out of it, in the order of the stages they lead to} for
    ``stage_ids`` (a stage with none is left out)."""
    return _for_stages(set(stage_ids), "transitions")


def stages_by_id(stage_ids: Iterable[int]) -> dict[int, Stage]:
    """{id: stage} for ``stage_ids`` (an unknown id is left out)."""
    wanted = set(stage_ids)
    cached = reference().stages
    missing = wanted - cached.keys()
    found = {**cached, **(_read(missing).stages if missing else {})}
    return {pk: found[pk] for pk in wanted if pk in found}


def stage_ids_of(code: str, programme_ids: Iterable[int] | None = None) -> tuple[list[int], bool]:
    """The ids of the stages coded ``code`` that the reference data holds (of the
    programmes ``programme_ids`` only, when given), and whether they are all there are.

    They are when each of those programmes has a stage of that code here: a programme's
    codes are unique (``unique_stage_code``), so no stage written since by another
    database client (which sets no new version) can carry it beside the one held. With
    any programme (``None``) or one holding none, a newer stage might."""
    stages = reference().stages
    wanted = None if programme_ids is None else set(programme_ids)
    found = {
        pk: stage.programme_id
        for pk, stage in stages.items()
        if stage.code == code and (wanted is None or stage.programme_id in wanted)
    }
    return sorted(found), wanted is not None and set(found.values()) == wanted


def in_stage_q(code: str, programme_ids: Iterable[int] | None = None) -> Q:
    """Ventures in a stage coded ``code`` (every programme has its own copy of a stage),
    with the stages' ids written in, so the database finds them by its indexes.
    ``programme_ids``: the programmes the ventures filtered can be in, when known.

    By the code alone PostgreSQL joins the stages and cannot tell how many ventures they
    hold: it read all 50,000 ventures for the 1,006 of ``?stage=growth&origin=community``
    (22 ms for the count, 22 again for the page); with the ids, 4 and 6. The ids come from
    the reference data, and a stage written since (by another database client, which
    sets no new version) has a larger id than any it holds, so unless the ids are all
    there are (``stage_ids_of``) the condition also takes any stage newer than the newest
    it knows. That ``OR`` keeps PostgreSQL from walking a stage's ventures in order by
    the (stage, name, id) index: a reader of one programme's page 30 of a stage read and
    sorted its ~4,000 ventures (docs/performance.md §39). The code is still matched, so a
    stage recoded elsewhere is never taken for what it was."""
    ids, complete = stage_ids_of(code, programme_ids)
    q = Q(stage_id__in=ids)
    if not complete:
        q |= Q(stage_id__gt=max(reference().stages, default=0))
    return q & Q(stage__code=code)


def programme_stages(programme_id: int) -> list[Stage]:
    """The programme's stages in order."""
    stages = [s for s in reference().stages.values() if s.programme_id == programme_id]
    if not stages:  # none yet, or written by another database client
        stages = list(Stage.objects.filter(programme_id=programme_id).order_by())
    return sorted(stages, key=lambda stage: (stage.order, stage.pk))


def visible_programmes(user) -> list[Programme]:
    """The programmes ``user`` sees (``accounts.selectors.programmes_visible_to``) in
    Programme's order (newest start first, then by name), from the reference data. One
    missing from it (written by another database client) has them all read."""
    cached = reference().programmes
    if user_is_global_admin(user):
        programmes = list(cached.values())
    else:
        programmes = [cached.get(pk) for pk in user_programme_roles(user)]
        if None in programmes:
            return list(programmes_visible_to(user=user))
    programmes.sort(key=lambda programme: programme.name)
    programmes.sort(key=lambda programme: programme.start_date, reverse=True)
    return programmes
