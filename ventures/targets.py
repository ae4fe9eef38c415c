"""Keeps the two columns a venture's stage history sums up:

- ``Venture.target_reached_at``: its first entry into its programme's target stage or a
  later one (by stage order). The target figure, its list, the report and the scouting
  funnels count the ventures whose date falls in a period, an indexed range instead of a
  grouped pass over the stage history;
- ``Venture.furthest_stage_order``: the highest order of the stages it has been in. The
  dashboard's "reached" counts (this stage or a later one) count it.

``target_reached_refresh`` recomputes both from the stage history (one UPDATE per
programme, of the ventures whose values change). Model signals call it, in the writing
transaction, when a stage change is saved, when a programme's target stage changes and
when a stage's order or code changes; the bulk import calls it itself (``bulk_create``
sends no signal), having written each row with its values, so nothing is rewritten.
Stage changes are never deleted except with their venture.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import (
    BooleanField,
    DateTimeField,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from accounts.models import Programme
from seir import locks
from seir.changes import on_change

from .models import Stage, StageChange, Venture

# Sent (programme_id, venture_ids: None for all of the programme's; reached_changed: of
# venture_ids, those whose ``target_reached_at`` the recompute changed, None with
# venture_ids None) inside the writing transaction once the two columns are recomputed:
# summary rows that copy a venture's ``target_reached_at`` (``scouting.IdeaSource``) or
# count by it (``ventures.StageDay``) copy or count it anew.
targets_refreshed = Signal()


class DistinctFrom(Func):
    """``a IS DISTINCT FROM b``: true when they differ, a null differing from a value and
    equal to a null (SQLite spells it ``IS NOT``)."""

    arity = 2
    arg_joiner = " IS DISTINCT FROM "
    template = "(%(expressions)s)"
    output_field = BooleanField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, arg_joiner=" IS NOT ", **extra_context)


def target_order(programme_id: int) -> int | None:
    return (
        Stage.objects.filter(
            programme_id=programme_id,
            code=Subquery(
                Programme.objects.filter(pk=programme_id).values("target_stage_code")[:1]
            ),
        )
        .values_list("order", flat=True)
        .first()
    )


@transaction.atomic(savepoint=False)
def target_reached_refresh(*, programme_id: int, venture_ids: Iterable[int] | None = None) -> int:
    """Recompute ``target_reached_at`` and ``furthest_stage_order`` for the programme's
    ventures (only ``venture_ids`` when given) from their stage history, after any other
    transaction recomputing them for the programme has committed; returns how many
    ventures' values changed (only those rows are written).

    Locks, in the order a stage move takes them: the ventures' rows (a move holds its
    venture's), then the programme's ``seir.locks`` lock (a new venture's recompute has
    no row another transaction can see). A programme-wide recompute so waits for a move
    in flight and counts its stage change; a move or a new venture waits for the
    programme's new target stage or stage order."""
    ventures = Venture.objects.filter(programme_id=programme_id)
    if venture_ids is not None:
        venture_ids = list(venture_ids)
        ventures = ventures.filter(pk__in=venture_ids)
    before = _lock(ventures)
    locks.hold("ventures.targets", [programme_id])
    history = StageChange.objects.filter(venture_id=OuterRef("pk")).order_by().values("venture_id")
    furthest = Subquery(history.annotate(furthest=Max("to_stage__order")).values("furthest"))
    order = target_order(programme_id)
    if order is None:
        reached = Value(None, output_field=DateTimeField())
    else:
        first = history.filter(to_stage__order__gte=order).annotate(first=Min("changed_at"))
        reached = Subquery(first.values("first"))
    # Only the rows whose values change are written: a programme's new target stage
    # rewrote all its ventures, and a bulk import's rows (written with their values)
    # each a second time.
    changed = ventures.filter(
        DistinctFrom(F("target_reached_at"), reached)
        | DistinctFrom(F("furthest_stage_order"), furthest)
    ).update(target_reached_at=reached, furthest_stage_order=furthest)
    reached_changed = None
    if venture_ids is not None:
        reached_changed = []
        if changed:
            after = ventures.order_by().values_list("pk", "target_reached_at")
            reached_changed = [pk for pk, at in after if before.get(pk) != at]
    targets_refreshed.send(
        sender=Venture,
        programme_id=programme_id,
        venture_ids=venture_ids,
        reached_changed=reached_changed,
    )
    return changed


def _lock(ventures) -> dict:
    """Lock the ventures' rows; their ``target_reached_at`` as they were, by id."""
    return dict(
        ventures.select_for_update(no_key=True)
        .order_by("pk")
        .values_list("pk", "target_reached_at")
    )


def _lock_ventures_before_reorder(stage: Stage, before: dict) -> None:
    """Before a stage's new order is written: its programme's ventures' rows. The order
    is a key (unique in the programme), so writing it locks the stage's row against a
    stage move into it committing (its foreign key, checked at commit, shares the row);
    the recompute after it then wanted the moving venture's row: each waited for the
    other, a deadlock. Taken first, a reorder waits for a move in flight instead."""
    if transaction.get_connection().in_atomic_block:
        _lock(Venture.objects.filter(programme_id=stage.programme_id))


@receiver(post_save, sender=StageChange, dispatch_uid="venture_target_reached_change")
def _stage_change_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    venture_id = instance.venture_id
    programme_id = Venture.objects.filter(pk=venture_id).values_list("programme_id", flat=True)
    programme_id = programme_id.first()
    if programme_id is None:
        return
    target_reached_refresh(programme_id=programme_id, venture_ids=[venture_id])
    venture = instance._state.fields_cache.get("venture")
    if venture is not None:  # the caller's own copy stays true to the row
        venture.target_reached_at, venture.furthest_stage_order = (
            Venture.objects.filter(pk=venture_id)
            .values_list("target_reached_at", "furthest_stage_order")
            .get()
        )


on_change(
    Programme,
    ("target_stage_code",),
    lambda programme, before: target_reached_refresh(programme_id=programme.pk),
    uid="venture_target_programme",
)
on_change(
    Stage,
    ("order", "code"),  # a code may make a stage the target stage, or stop it being it
    lambda stage, before: target_reached_refresh(programme_id=stage.programme_id),
    uid="venture_target_stage_order",
    before_save=_lock_ventures_before_reorder,
)
