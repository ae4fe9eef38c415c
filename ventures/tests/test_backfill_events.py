"""The data migration that turns the history kept before events into events."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as installed

from events.models import Event
from ventures import events, services
from ventures.models import GateCondition, NoteVisibility

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("ventures.migrations.0005_backfill_events").backfill


class Apps:
    """The installed models, as the backfill asks for them by name. Since ventures 0011
    a status change is kept by its event alone (0010 turned the rows into events; see
    test_status_change_migration), so the backfill finds no StatusChange rows."""

    no_rows = SimpleNamespace(
        objects=SimpleNamespace(filter=lambda **_: SimpleNamespace(select_related=lambda *_: []))
    )

    def get_model(self, app_label, model_name):
        if (app_label, model_name) == ("ventures", "StatusChange"):
            return self.no_rows
        return installed.get_model(app_label, model_name)


apps = Apps()


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
