"""A contract's status history is kept by its events alone (issue 20): the
ContractStatusChange rows repeated ``commissioning.contract_recorded`` (the status it was
recorded at) and ``commissioning.contract_status_changed`` (each change), and the
contract page now reads the events (``selectors.contract_history``).

Forwards, before the table goes (0007): a row with no event (same contract, from and to:
the status machine never repeats a move) becomes one, about the contract as the services
record it, and an event about a row (none is written so, but any found) is about the
contract instead. A recorded-at row made into an event takes the contract's terms as they
are now (its row kept no others). Backwards, after 0007 recreated the table: one row per
event of a contract that still exists. The rows come back from the events, so an event
this migration made comes back beside its row.
"""

from django.db import migrations

RECORDED = "commissioning.contract_recorded"
CHANGED = "commissioning.contract_status_changed"
LABELS = {"negotiating": "Negotiating", "signed": "Signed", "live": "Live", "ended": "Ended"}


def _types(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return (
        ContentType.objects.get_for_model(
            apps.get_model("commissioning", "ContractStatusChange")
        ),
        ContentType.objects.get_for_model(apps.get_model("commissioning", "Contract")),
    )


def _moved(event):
    """(contract id, from, to) of an event, as a row keeps them."""
    data = event.data or {}
    if event.kind == RECORDED:
        return (event.subject_id, "", data.get("status"))
    return (event.subject_id, data.get("from"), data.get("to"))


def _event(Event, contract_type, row):
    contract = row.contract
    venture = contract.venture
    if row.from_status:
        kind = CHANGED
        data = {
            "from": row.from_status,
            "to": row.to_status,
            "from_label": LABELS.get(row.from_status, row.from_status),
            "to_label": LABELS.get(row.to_status, row.to_status),
            "note": row.note,
        }
    else:
        kind = RECORDED
        data = {
            "commissioner": contract.commissioner.name,
            "service": contract.service,
            "value": str(contract.value),
            "start": contract.start_date.isoformat(),
            "end": contract.end_date.isoformat(),
            "status": row.to_status,
            "status_label": LABELS.get(row.to_status, row.to_status),
        }
    return Event(
        at=row.changed_at,
        recorded_at=row.changed_at,
        kind=kind,
        actor_id=row.changed_by_id,
        programme_id=venture.programme_id,
        venture_id=venture.pk,
        venture_label=venture.name[:200],
        subject_type=contract_type,
        subject_id=str(contract.pk),
        subject_label=f"{contract.service} — {venture.name} for {contract.commissioner.name}"[
            :200
        ],
        data=data,
        visibility="staff",
    )


def forwards(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    ContractStatusChange = apps.get_model("commissioning", "ContractStatusChange")
    row_type, contract_type = _types(apps)
    about_rows = list(Event.objects.filter(subject_type=row_type))
    contracts = dict(
        ContractStatusChange.objects.filter(
            pk__in=[int(e.subject_id) for e in about_rows if e.subject_id.isdigit()]
        ).values_list("pk", "contract_id")
    )
    for event in about_rows:
        contract_id = contracts.get(int(event.subject_id)) if event.subject_id.isdigit() else None
        event.subject_type = contract_type if contract_id else None
        event.subject_id = str(contract_id) if contract_id else ""
    Event.objects.bulk_update(about_rows, ["subject_type", "subject_id"], batch_size=1000)
    recorded = {
        _moved(e)
        for e in Event.objects.filter(subject_type=contract_type, kind__in=[RECORDED, CHANGED])
    }
    rows = ContractStatusChange.objects.select_related(
        "contract__venture", "contract__commissioner"
    ).order_by("changed_at", "id")
    Event.objects.bulk_create(
        [
            _event(Event, contract_type, row)
            for row in rows.iterator(chunk_size=1000)
            if (str(row.contract_id), row.from_status, row.to_status) not in recorded
        ],
        batch_size=1000,
    )


def backwards(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    ContractStatusChange = apps.get_model("commissioning", "ContractStatusChange")
    Contract = apps.get_model("commissioning", "Contract")
    _, contract_type = _types(apps)
    contracts = {str(pk) for pk in Contract.objects.values_list("pk", flat=True)}
    events = Event.objects.filter(
        subject_type=contract_type, kind__in=[RECORDED, CHANGED]
    ).order_by("at", "id")
    rows = []
    for event in events.iterator(chunk_size=1000):
        if event.subject_id not in contracts:
            continue
        contract_id, from_status, to_status = _moved(event)
        rows.append(
            ContractStatusChange(
                contract_id=int(contract_id),
                from_status=from_status or "",
                to_status=to_status or "",
                note=(event.data or {}).get("note", ""),
                changed_by_id=event.actor_id,
                changed_at=event.at,
            )
        )
    ContractStatusChange.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0002_event_recorded_at"),
        ("commissioning", "0005_meeting_agreed"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
