"""``on_change``: run a function after a save that changed some of a model's fields, in
the saving transaction, whoever saves (services, the admin, factories). The summary rows
the writes keep (``scouting.tallies``, ``checklists.tallies``, ``commissioning.tallies``,
``ventures.targets``) recompute through it.

A save with ``update_fields`` that names none of the fields costs nothing; any other save
of an existing row reads the fields' stored values first (one small query) so the
function is told what they were. Fixture loading (``raw``) is left alone, and
``QuerySet.update``/``bulk_create`` send no signal: callers that write that way
recompute themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model
from django.db.models.signals import post_save, pre_save

_UNCHANGED = object()


def on_change(
    model: type[Model],
    fields: tuple[str, ...],
    handler: Callable[[Model, dict | None], None],
    *,
    uid: str,
    on_create: bool = False,
    before_save: Callable[[Model, dict], None] | None = None,
) -> None:
    """After a save of ``model`` in which one of ``fields`` changed, call
    ``handler(instance, before)``: ``before`` maps each field to its stored value (a
    foreign key's id) before the save, or is None for a new row (only when
    ``on_create``). ``before_save(instance, before)``, when given, runs before such a
    save of an existing row writes anything (to take locks first)."""
    attnames = {name: model._meta.get_field(name).attname for name in fields}
    names = set(attnames) | set(attnames.values())

    def remember(sender, instance, raw=False, update_fields=None, **kwargs):
        if raw or (update_fields is not None and not names & set(update_fields)):
            instance.__dict__[uid] = _UNCHANGED
        elif instance.pk is None or instance._state.adding:
            instance.__dict__[uid] = None
        else:
            stored = model._base_manager.filter(pk=instance.pk).values(*fields).first()
            instance.__dict__[uid] = stored
            if before_save is not None and stored is not None and _differs(stored, instance):
                before_save(instance, stored)

    def compare(sender, instance, created, raw=False, update_fields=None, **kwargs):
        before = instance.__dict__.pop(uid, _UNCHANGED)
        if raw or before is _UNCHANGED:
            return
        if before is None:
            if created and on_create:
                handler(instance, None)
            return
        saved = [
            name
            for name, attname in attnames.items()
            if update_fields is None or {name, attname} & set(update_fields)
        ]
        if any(before[name] != getattr(instance, attnames[name]) for name in saved):
            handler(instance, before)

    def _differs(stored: dict, instance) -> bool:
        return any(stored[name] != getattr(instance, attname) for name, attname in attnames.items())

    pre_save.connect(remember, sender=model, weak=False, dispatch_uid=f"{uid}:before")
    post_save.connect(compare, sender=model, weak=False, dispatch_uid=f"{uid}:after")
