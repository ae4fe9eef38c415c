"""Fixtures for the ventures tests: one programme with a person in every role, plus a
second programme whose people must never see the first one's ventures."""

from __future__ import annotations

import pytest

from events.models import Event
from ventures.models import (
    FieldChange,
    GateConfirmation,
    StageChange,
    TeamMembership,
    Venture,
    VentureNote,
)


@pytest.fixture
def snapshot():
    """Everything a venture action could write, to prove a refused action wrote nothing."""

    def take(venture: Venture) -> dict:
        row = Venture.objects.filter(pk=venture.pk).values().get()
        return {
            "venture": row,
            "stage_changes": StageChange.objects.filter(venture=venture).count(),
            "field_changes": FieldChange.objects.filter(venture=venture).count(),
            "notes": VentureNote.objects.filter(venture=venture).count(),
            "confirmations": sorted(
                GateConfirmation.objects.filter(venture=venture).values_list(
                    "pk", "evidence", "withdrawn_at"
                )
            ),
            "events": Event.objects.filter(venture_id=venture.pk).count(),
            "team": sorted(
                TeamMembership.objects.filter(venture=venture).values_list("user_id", "role")
            ),
        }

    return take
