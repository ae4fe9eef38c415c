"""A checklist item's status history is kept by its events alone (issue 20): the
StatusChange rows repeated the move events (who, when, from, to, comment), and the item
page now reads the events (``selectors.item_history``).

Forwards, before the table goes (0008): a row with no event of its move (same item,
moment, from and to) becomes one, about the item as the service records it, and an event
about a row (none is written so, but any found) is about the item instead. Backwards,
after 0008 recreated the table: one row per move event of an item that still exists. The
rows come back from the events, so an event this migration made comes back beside its row.
"""

from django.db import migrations

# The event each move records (checklists.status.TRANSITIONS, frozen here): by the status
# reached, and for "In progress" by where it came from.
KINDS = {
    "submitted": "checklist.item_submitted",
    "accepted": "checklist.item_accepted",
    "returned": "checklist.item_returned",
    "not_applicable": "checklist.item_not_applicable",
    "not_started": "checklist.item_reinstated",
    "expired": "checklist.item_expired",
}
TO_IN_PROGRESS = {"submitted": "checklist.item_withdrawn", "accepted": "checklist.item_reopened"}
MOVE_KINDS = [*KINDS.values(), *TO_IN_PROGRESS.values(), "checklist.item_started"]


def _kind(from_status, to_status):
    if to_status == "in_progress":
        return TO_IN_PROGRESS.get(from_status, "checklist.item_started")
    return KINDS[to_status]


def _types(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return (
        ContentType.objects.get_for_model(apps.get_model("checklists", "StatusChange")),
        ContentType.objects.get_for_model(apps.get_model("checklists", "ChecklistItem")),
    )


def forwards(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    StatusChange = apps.get_model("checklists", "StatusChange")
    row_type, item_type = _types(apps)
    about_rows = list(Event.objects.filter(subject_type=row_type))
    items = dict(
        StatusChange.objects.filter(
            pk__in=[int(e.subject_id) for e in about_rows if e.subject_id.isdigit()]
        ).values_list("pk", "item_id")
    )
    for event in about_rows:
        item_id = items.get(int(event.subject_id)) if event.subject_id.isdigit() else None
        event.subject_type = item_type if item_id else None
        event.subject_id = str(item_id) if item_id else ""
    Event.objects.bulk_update(about_rows, ["subject_type", "subject_id"], batch_size=1000)
    recorded = {
        (e.subject_id, e.at, (e.data or {}).get("from_status"), (e.data or {}).get("to_status"))
        for e in Event.objects.filter(subject_type=item_type, kind__in=MOVE_KINDS).only(
            "subject_id", "at", "data"
        )
    }
    rows = StatusChange.objects.select_related("item__checklist__venture").order_by(
        "changed_at", "id"
    )
    missing = []
    for row in rows.iterator(chunk_size=1000):
        key = (str(row.item_id), row.changed_at, row.from_status, row.to_status)
        if key in recorded:
            continue
        item, venture = row.item, row.item.checklist.venture
        data = {
            "item_id": item.pk,
            "label": item.label,
            "section": item.section,
            "from_status": row.from_status,
            "to_status": row.to_status,
        }
        if row.comment:
            data["comment"] = row.comment
        missing.append(
            Event(
                at=row.changed_at,
                recorded_at=row.changed_at,
                kind=_kind(row.from_status, row.to_status),
                actor_id=row.changed_by_id,
                programme_id=venture.programme_id,
                venture_id=venture.pk,
                venture_label=venture.name[:200],
                subject_type=item_type,
                subject_id=str(item.pk),
                subject_label=item.label[:200],
                data=data,
            )
        )
    Event.objects.bulk_create(missing, batch_size=1000)


def backwards(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    StatusChange = apps.get_model("checklists", "StatusChange")
    ChecklistItem = apps.get_model("checklists", "ChecklistItem")
    _, item_type = _types(apps)
    items = set(ChecklistItem.objects.values_list("pk", flat=True))
    events = Event.objects.filter(subject_type=item_type, kind__in=MOVE_KINDS).order_by("at", "id")
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                item_id=int(event.subject_id),
                from_status=event.data.get("from_status", ""),
                to_status=event.data.get("to_status", ""),
                comment=event.data.get("comment", ""),
                changed_by_id=event.actor_id,
                changed_at=event.at,
            )
            for event in events.iterator(chunk_size=1000)
            if event.subject_id.isdigit() and int(event.subject_id) in items
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0002_event_recorded_at"),
        ("checklists", "0006_item_days"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
