"""Issue 16, item 6: adding "Meeting agreed" leaves every existing introduction and its
history exactly as it was (the migration changes choices and adds a table, no data)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("commissioning", "0004_introduction_page_indexes")]
AFTER = [("commissioning", "0005_meeting_agreed")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # accounts and ventures stay at their latest state: their tables keep the columns
    # later migrations added (NOT NULL without a database default on PostgreSQL), so the
    # rows this test writes must be made with those apps' latest models.
    graph = executor.loader.graph
    targets = [
        *targets,
        *(leaf for leaf in graph.leaf_nodes() if leaf[0] in ("accounts", "ventures")),
    ]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# Serialized rollback, as every transactional test here: the flush after it then leaves
# the content types alone, so the serialized tests that follow on the worker can load
# theirs without a duplicate.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_introductions_keep_their_steps_through_the_migration(django_user_model):
    # given introductions at every step the old lifecycle had, under the old schema
    old = _migrate(BEFORE)
    try:
        user = old.get_model("accounts", "User").objects.create(username="m-seir")
        programme = old.get_model("accounts", "Programme").objects.create(
            name="Migration programme",
            host_organisation="Host",
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2027, 12, 31),
        )
        stage = old.get_model("ventures", "Stage").objects.create(
            programme=programme, code="idea", name="Idea", order=1
        )
        venture = old.get_model("ventures", "Venture").objects.create(
            programme=programme, stage=stage, name="Old venture"
        )
        # Reference data is seeded by a migration, but a transactional test that ran
        # before this one may have emptied the tables: make one if none is left.
        kind, _ = old.get_model("commissioning", "OrganisationType").objects.get_or_create(
            code="migration-test-pct", defaults={"name": "Migration test PCT"}
        )
        commissioner = old.get_model("commissioning", "Commissioner").objects.create(
            name="Old PCT", organisation_type=kind
        )
        contact = old.get_model("commissioning", "Contact").objects.create(
            commissioner=commissioner, name="Old contact"
        )
        Introduction = old.get_model("commissioning", "Introduction")
        old_steps = [
            "requested",
            "introduced",
            "meeting_held",
            "pilot_agreed",
            "tender",
            "contract_awarded",
            "declined",
            "no_response",
        ]
        day = datetime.date(2026, 6, 1)
        for step in old_steps:
            intro = Introduction.objects.create(
                venture=venture,
                contact=contact,
                commissioner=commissioner,
                made_by=user,
                made_on=day,
                purpose=f"At {step}",
                step=step,
                step_on=day,
            )
            old.get_model("commissioning", "IntroductionStep").objects.create(
                introduction=intro,
                from_step="requested",
                to_step=step,
                on=day,
                changed_by=user,
                changed_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
            )
        before = sorted(Introduction.objects.values_list("pk", "step", "step_on", "purpose"))

        # when the migration runs
        new = _migrate(AFTER)

        # then every introduction and its history is unchanged, with no dates invented
        NewIntroduction = new.get_model("commissioning", "Introduction")
        after = sorted(NewIntroduction.objects.values_list("pk", "step", "step_on", "purpose"))
        assert after == before
        assert sorted(
            new.get_model("commissioning", "IntroductionStep").objects.values_list(
                "to_step", flat=True
            )
        ) == sorted(old_steps)
        assert new.get_model("commissioning", "ProposedMeetingDate").objects.count() == 0
        field = NewIntroduction._meta.get_field("step")
        assert ("meeting_agreed", "Meeting agreed") in field.choices
    finally:
        # Every app back at its latest migration, whatever came after AFTER.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
