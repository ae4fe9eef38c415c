"""The data migration that turns the history kept before events into events."""

import importlib

import pytest
from django.apps import apps

from events.models import Event
from ventures import events, services
from ventures.models import GateCondition, NoteVisibility

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("ventures.migrations.0005_backfill_events").backfill


def test_backfill_recreates_the_timeline_once(client, venture, seir, stages):
    # given: history written by the services, then the events lost (as before events)
    services.venture_update_profile(
        actor=seir,
        venture=venture,
        data={"area": "Sparkbrook", "name": "Saheli Hub"},
        expected_version=1,
    )
    services.venture_note_add(
        actor=seir, venture=venture, body="Private.", visibility=NoteVisibility.STAFF
    )
    for condition in GateCondition.objects.filter(stage=stages["idea"], kind="confirmed"):
        services.gate_condition_confirm(
            actor=seir, venture=venture, condition=condition, evidence="Seen."
        )
    services.venture_move(actor=seir, venture=venture, to_stage=stages["startup"])
    services.venture_set_status(actor=seir, venture=venture, to_status="paused", reason="Gap.")
    recorded = sorted(
        Event.objects.filter(venture_id=venture.pk)
        .exclude(kind=events.VENTURE_CREATED)
        .values_list("kind", "visibility", "data"),
        key=repr,
    )
    Event.objects.all().delete()

    # when
    backfill(apps, None)
    backfill(apps, None)  # a second run adds nothing

    # then: the same kinds and payloads as the services record, plus the creation
    rows = sorted(
        Event.objects.exclude(kind=events.VENTURE_CREATED).values_list(
            "kind", "visibility", "data"
        ),
        key=repr,
    )
    assert rows == recorded
    created = Event.objects.get(kind=events.VENTURE_CREATED)
    assert (created.venture_id, created.actor) == (venture.pk, seir)
    assert created.data["stage"] == "Idea"
    client.force_login(seir)
    page = client.get(f"/ventures/{venture.pk}/").content.decode()
    assert "Added to the pipeline at Idea" in page
    assert "Moved from Idea to Start-up" in page
