"""Put back the reference data the migrations seed (stages, templates, funds, domains).

A transactional test (live_server, real workers, backups) ends by flushing every table,
the migrations' reference rows included; a later transactional test that needs them calls
``reference_data_restore()`` first. Each seed is idempotent."""

from __future__ import annotations

import importlib

from django.apps import apps as django_apps

SEEDS = [
    ("ventures.migrations.0002_reference_data", "seed"),
    ("checklists.migrations.0002_default_template", "seed"),
    ("plans.migrations.0002_default_template", "seed"),
    ("commissioning.migrations.0002_reference_data", "seed"),
    ("funding.migrations.0002_default_funds", "add_funds"),
    ("outcomes.migrations.0002_outcomes_framework_domains", "add_domains"),
    ("scouting.migrations.0002_default_tags", "add_tags"),
    ("sitepages.migrations.0002_default_pages", "seed"),
]


def reference_data_restore() -> None:
    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(django_apps, None)
