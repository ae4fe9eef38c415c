"""A venture's status history is kept by its ``venture.status_changed`` events alone
(issue 20): the StatusChange rows only repeated them, and nothing computes from them.

Forwards, before the table goes (0011): a row with no event (an installation older than
the events that never ran 0005's backfill for that venture) becomes one, and every event
whose subject was a row is about the venture instead, as the service now records it.
Backwards, after 0011 recreated the table: one row per status event, and the event about
that row again. The rows come back from the events, so an event this migration made for
a row that had none comes back too, now beside its row.
"""

from django.db import migrations

KIND = "venture.status_changed"
STATUS_LABELS = {"active": "Active", "paused": "Paused", "closed": "Closed"}


def _types(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return (
        ContentType.objects.get_for_model(apps.get_model("ventures", "StatusChange")),
        ContentType.objects.get_for_model(apps.get_model("ventures", "Venture")),
    )


def forwards(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    StatusChange = apps.get_model("ventures", "StatusChange")
    row_type, venture_type = _types(apps)
    about_rows = list(Event.objects.filter(subject_type=row_type))
    recorded = {event.subject_id for event in about_rows}
    for event in about_rows:
        event.subject_type = venture_type
        event.subject_id = str(event.venture_id)
        event.subject_label = event.venture_label
    Event.objects.bulk_update(
        about_rows, ["subject_type", "subject_id", "subject_label"], batch_size=1000
    )
    missing = StatusChange.objects.exclude(pk__in=[int(pk) for pk in recorded if pk.isdigit()])
    Event.objects.bulk_create(
        [
            Event(
                at=row.changed_at,
                recorded_at=row.changed_at,
                kind=KIND,
                actor_id=row.changed_by_id,
                programme_id=row.venture.programme_id,
                venture_id=row.venture_id,
                venture_label=row.venture.name[:200],
                subject_type=venture_type,
                subject_id=str(row.venture_id),
                subject_label=row.venture.name[:200],
                data={
                    "from": row.from_status,
                    "to": row.to_status,
                    "from_label": STATUS_LABELS.get(row.from_status, row.from_status),
                    "to_label": STATUS_LABELS.get(row.to_status, row.to_status),
                    "reason": row.reason,
                },
            )
            for row in missing.select_related("venture").order_by("changed_at", "id")
        ],
        batch_size=1000,
    )


def backwards(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    StatusChange = apps.get_model("ventures", "StatusChange")
    Venture = apps.get_model("ventures", "Venture")
    row_type, venture_type = _types(apps)
    events = Event.objects.filter(kind=KIND, subject_type=venture_type).order_by("at", "id")
    ventures = set(Venture.objects.values_list("pk", flat=True))
    for event in events:
        if event.venture_id not in ventures:
            # A deleted venture took its rows with it: its events stay about the venture.
            continue
        row = StatusChange.objects.create(
            venture_id=event.venture_id,
            from_status=event.data.get("from", ""),
            to_status=event.data.get("to", ""),
            reason=event.data.get("reason", ""),
            changed_by_id=event.actor_id,
            changed_at=event.at,
        )
        event.subject_type = row_type
        event.subject_id = str(row.pk)
        event.subject_label = f"{event.venture_label}: {row.from_status} → {row.to_status}"[:200]
        event.save(update_fields=["subject_type", "subject_id", "subject_label"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0002_event_recorded_at"),
        ("ventures", "0009_target_reached"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
