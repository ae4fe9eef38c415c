"""Issue 20: the meeting's own ``submission_key`` gives way to the shared one-time token.
Every meeting is kept as it was; each key the form made becomes a kept token of the
person who logged the meeting, naming it, so a page or draft from before the change
still lands on its meeting; and the way back restores the keys."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("scouting", "0004_merge_records"), ("submissions", "0001_submission_token")]
AFTER = [
    ("scouting", "0005_meeting_key_to_submission_token"),
    ("submissions", "0002_submission_token_kept"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # Other apps stay at their latest state (as in commissioning's migration test): the
    # rows this test writes in them are made with their latest models.
    graph = executor.loader.graph
    targets = [
        *targets,
        *(leaf for leaf in graph.leaf_nodes() if leaf[0] in ("accounts", "ventures")),
    ]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_keys_become_kept_tokens_and_no_meeting_changes():
    # given: meetings under the old schema, with a form's key, a key no form made,
    # no key, and a key whose person has gone
    old = _migrate(BEFORE)
    try:
        User = old.get_model("accounts", "User")
        seir = User.objects.create(username="m-seir")
        programme = old.get_model("accounts", "Programme").objects.create(
            name="Migration programme",
            host_organisation="Host",
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2027, 12, 31),
        )
        Meeting = old.get_model("scouting", "Meeting")
        at = datetime.datetime(2026, 6, 1, 10, 30, tzinfo=datetime.UTC)
        key = uuid.uuid4().hex

        def meeting(notes, key, by):
            return Meeting.objects.create(
                programme=programme,
                held_at=at,
                notes=notes,
                logged_by=by,
                submission_key=key,
            )

        from_form = meeting("from the form", key, seir)
        meeting("hand-made key", "a1b2c3", seir)
        meeting("no key", "", seir)
        meeting("person gone", uuid.uuid4().hex, None)
        before = sorted(Meeting.objects.values_list("pk", "notes", "held_at", "logged_by"))

        # when: the migration runs
        new = _migrate(AFTER)

        # then: the meetings are as they were; the form's key is a kept token naming it
        NewMeeting = new.get_model("scouting", "Meeting")
        assert "submission_key" not in {f.name for f in NewMeeting._meta.get_fields()}
        assert (
            sorted(NewMeeting.objects.values_list("pk", "notes", "held_at", "logged_by")) == before
        )
        tokens = new.get_model("submissions", "SubmissionToken").objects.all()
        assert [
            (t.user_id, t.token, t.content_type.model, t.object_id, t.kept, t.created_at)
            for t in tokens
        ] == [
            (
                seir.pk,
                uuid.UUID(key),
                "meeting",
                from_form.pk,
                True,
                NewMeeting.objects.get(pk=from_form.pk).created_at,
            )
        ]

        # and back again: the form's key is restored (a key no form made is not)
        back = _migrate(BEFORE)
        assert sorted(
            back.get_model("scouting", "Meeting").objects.values_list("notes", "submission_key")
        ) == [("from the form", key), ("hand-made key", ""), ("no key", ""), ("person gone", "")]
    finally:
        # Every app back at its latest migration (not only AFTER: later migrations of
        # scouting must exist again for the tests that run next on this worker).
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
