"""Helpers for the tests of the migrations that fold a history table into the events
(issue 20): move the schema, and make the few rows every such test needs."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(app: str | None = None, name: str | None = None):
    """Every app at its latest migration, ``app`` at ``name`` if given (the other apps'
    latest migrations must not depend on what it leaves out). Returns the models as they
    are then. A test calls ``migrate()`` at the end, in a ``finally``."""
    executor = MigrationExecutor(connection)
    targets = [leaf for leaf in executor.loader.graph.leaf_nodes() if leaf[0] != app]
    if app is not None:
        targets.append((app, name))
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def venture_world(apps, *, username: str, venture: str) -> SimpleNamespace:
    """A SEiR, a programme and a venture in it, made with the models of ``apps``."""
    user = apps.get_model("accounts", "User").objects.create(
        username=username, first_name="Samira", last_name="Patel"
    )
    programme = apps.get_model("accounts", "Programme").objects.create(
        name=f"{venture} programme",
        host_organisation="Host",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    stage = apps.get_model("ventures", "Stage").objects.create(
        programme=programme, code="idea", name="Idea", order=1
    )
    made = apps.get_model("ventures", "Venture").objects.create(
        programme=programme, stage=stage, name=venture
    )
    return SimpleNamespace(user=user, programme=programme, venture=made)


def events(apps, **where) -> list[tuple]:
    """The events that match ``where``, oldest first, with what a history shows of them."""
    return list(
        apps.get_model("events", "Event")
        .objects.filter(**where)
        .order_by("at", "id")
        .values_list(
            "kind",
            "subject_type__model",
            "subject_id",
            "subject_label",
            "actor__username",
            "programme_id",
            "venture_id",
            "venture_label",
            "at",
            "recorded_at",
            "data",
        )
    )
