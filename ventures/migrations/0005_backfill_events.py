"""Record the history kept before events existed as events, so the timeline (which now
reads events only) still shows every venture's past. Ventures that already have events
are left alone, so running it again adds nothing."""

from django.db import migrations

STATUS_LABELS = {"active": "Active", "paused": "Paused", "closed": "Closed"}


def _name(user):
    if user is None:
        return ""
    return f"{user.first_name} {user.last_name}".strip() or user.username


def backfill(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Venture = apps.get_model("ventures", "Venture")
    StageChange = apps.get_model("ventures", "StageChange")
    StatusChange = apps.get_model("ventures", "StatusChange")
    FieldChange = apps.get_model("ventures", "FieldChange")
    VentureNote = apps.get_model("ventures", "VentureNote")
    GateConfirmation = apps.get_model("ventures", "GateConfirmation")
    done = set(Event.objects.exclude(venture_id=None).values_list("venture_id", flat=True))
    ventures = {v.pk: v for v in Venture.objects.exclude(pk__in=done)}
    if not ventures:
        return

    def content_type(model):
        return ContentType.objects.get_for_model(model)

    def event(venture_id, *, kind, at, actor, subject, model, data, visibility="team", label=""):
        venture = ventures[venture_id]
        return Event(
            at=at,
            kind=kind,
            actor=actor,
            programme_id=venture.programme_id,
            venture_id=venture.pk,
            venture_label=venture.name[:200],
            subject_type=content_type(model),
            subject_id=str(subject.pk),
            subject_label=(label or venture.name)[:200],
            data=data,
            visibility=visibility,
        )

    rows = []
    ids = list(ventures)
    for c in StageChange.objects.filter(venture_id__in=ids).select_related(
        "from_stage", "to_stage", "changed_by"
    ):
        if c.from_stage_id is None:
            rows.append(
                event(
                    c.venture_id,
                    kind="venture.created",
                    at=c.changed_at,
                    actor=c.changed_by,
                    subject=ventures[c.venture_id],
                    model=Venture,
                    data={"stage": c.to_stage.name, "stage_id": c.to_stage_id, "lead": ""},
                )
            )
            continue
        rows.append(
            event(
                c.venture_id,
                kind="venture.moved",
                at=c.changed_at,
                actor=c.changed_by,
                subject=c,
                model=StageChange,
                data={
                    "from_stage": c.from_stage.name,
                    "from_stage_id": c.from_stage_id,
                    "to_stage": c.to_stage.name,
                    "to_stage_id": c.to_stage_id,
                    "note": c.note,
                    "override_reason": c.override_reason,
                    "unmet": c.unmet_conditions,
                },
            )
        )
    for c in StatusChange.objects.filter(venture_id__in=ids).select_related("changed_by"):
        rows.append(
            event(
                c.venture_id,
                kind="venture.status_changed",
                at=c.changed_at,
                actor=c.changed_by,
                subject=c,
                model=StatusChange,
                data={
                    "from": c.from_status,
                    "to": c.to_status,
                    "from_label": STATUS_LABELS.get(c.from_status, c.from_status),
                    "to_label": STATUS_LABELS.get(c.to_status, c.to_status),
                    "reason": c.reason,
                },
            )
        )
    edits = {}
    for c in (
        FieldChange.objects.filter(venture_id__in=ids)
        .select_related("changed_by")
        .order_by("changed_at", "id")
    ):
        label = str(Venture._meta.get_field(c.field).verbose_name).capitalize()
        change = {
            "field": c.field,
            "label": label,
            "old": c.old_value,
            "new": c.new_value,
            "old_display": c.old_display,
            "new_display": c.new_display,
        }
        if c.reverts_id:
            rows.append(
                event(
                    c.venture_id,
                    kind="venture.change_reverted",
                    at=c.changed_at,
                    actor=c.changed_by,
                    subject=c,
                    model=FieldChange,
                    data={**change, "reverted_change_id": c.reverts_id, "version": c.version},
                )
            )
            continue
        # One event per save: the fields one save changed share a version.
        key = (c.venture_id, c.version, c.changed_by_id, c.changed_at)
        if key not in edits:
            edits[key] = event(
                c.venture_id,
                kind="venture.profile_edited",
                at=c.changed_at,
                actor=c.changed_by,
                subject=ventures[c.venture_id],
                model=Venture,
                data={"version": c.version, "changes": []},
            )
            rows.append(edits[key])
        edits[key].data["changes"].append(change)
    for n in VentureNote.objects.filter(venture_id__in=ids).select_related("author"):
        rows.append(
            event(
                n.venture_id,
                kind="venture.note_added",
                at=n.created_at,
                actor=n.author,
                subject=n,
                model=VentureNote,
                data={"body": n.body, "visibility": n.visibility},
                visibility="staff" if n.visibility == "staff" else "team",
            )
        )
    for g in GateConfirmation.objects.filter(venture_id__in=ids).select_related(
        "condition", "confirmed_by"
    ):
        rows.append(
            event(
                g.venture_id,
                kind="venture.gate_confirmed",
                at=g.confirmed_at,
                actor=g.confirmed_by,
                subject=g,
                model=GateConfirmation,
                label=f"{ventures[g.venture_id].name}: {g.condition.label}",
                data={
                    "condition": g.condition.label,
                    "condition_id": g.condition_id,
                    "evidence": g.evidence,
                },
            )
        )
    Event.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0001_initial"),
        ("ventures", "0004_gate_confirmation_history_last_activity"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
