"""Funding tests reuse the ventures fixtures: one programme with a person in every role."""

from ventures.tests.conftest import (  # noqa: F401 - fixtures
    administrator,
    commissioner,
    days_ago,
    entrepreneur,
    manager,
    other_entrepreneur,
    other_programme,
    other_seir,
    other_venture,
    programme,
    seir,
    stages,
    venture,
)
