"""A support referral's history is kept by its events alone (issue 20): the
SupportReferralStep rows repeated ``commissioning.referral_made`` and
``commissioning.referral_moved`` (step, day, who, note), and the referral page now reads
the events (``selectors.referral_history``). Introductions keep their step rows: the
proposed meeting dates hang off them.

Forwards, before the table goes (0009): a row with no event (same referral, from and to:
the lifecycle never repeats a move) becomes one, about the referral as the services
record it, filed on the step's day as ``event_record(on=...)`` files it, and an event
about a row (none is written so, but any found) is about the referral instead.
Backwards, after 0009 recreated the table: one row per event of a referral that still
exists. The rows come back from the events, so an event this migration made comes back
beside its row.
"""

import datetime

from django.db import migrations
from django.utils import timezone

MADE = "commissioning.referral_made"
MOVED = "commissioning.referral_moved"
LABELS = {
    "requested": "Requested",
    "introduced": "Introduced",
    "meeting_agreed": "Meeting agreed",
    "meeting_held": "Meeting held",
    "pilot_agreed": "Pilot / grant agreed",
    "tender": "Tender / qualification",
    "contract_awarded": "Contract awarded",
    "declined": "Declined",
    "no_response": "No response",
}


def _moment_of(day, recorded):
    """``events.services.moment_of`` with the row's own time as "now"."""
    if timezone.localdate(recorded) == day:
        return recorded
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _types(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return (
        ContentType.objects.get_for_model(apps.get_model("commissioning", "SupportReferralStep")),
        ContentType.objects.get_for_model(apps.get_model("commissioning", "SupportReferral")),
    )


def _moved(event):
    """(referral id, from, to) of an event, as a row keeps them."""
    if event.kind == MADE:
        return (event.subject_id, "", "requested")
    data = event.data or {}
    return (event.subject_id, data.get("from"), data.get("to"))


def _event(Event, referral_type, row):
    referral = row.referral
    venture = referral.venture
    if row.from_step:
        kind = MOVED
        data = {
            "from": row.from_step,
            "to": row.to_step,
            "from_label": LABELS.get(row.from_step, row.from_step),
            "to_label": LABELS.get(row.to_step, row.to_step),
            "on": row.on.isoformat(),
            "note": row.note,
            "counterpart": referral.provider.name,
            "proposed_dates": [],
        }
    else:
        kind = MADE
        data = {
            "provider": referral.provider.name,
            "support_type": referral.provider.support_type.name,
            "on": row.on.isoformat(),
            "purpose": row.note,
        }
    return Event(
        at=_moment_of(row.on, row.changed_at),
        at_is_day=True,
        recorded_at=row.changed_at,
        kind=kind,
        actor_id=row.changed_by_id,
        programme_id=venture.programme_id,
        venture_id=venture.pk,
        venture_label=venture.name[:200],
        subject_type=referral_type,
        subject_id=str(referral.pk),
        subject_label=f"{venture.name} → {referral.provider.name}"[:200],
        data=data,
        visibility="staff",
    )


def forwards(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    SupportReferralStep = apps.get_model("commissioning", "SupportReferralStep")
    row_type, referral_type = _types(apps)
    about_rows = list(Event.objects.filter(subject_type=row_type))
    referrals = dict(
        SupportReferralStep.objects.filter(
            pk__in=[int(e.subject_id) for e in about_rows if e.subject_id.isdigit()]
        ).values_list("pk", "referral_id")
    )
    for event in about_rows:
        referral_id = referrals.get(int(event.subject_id)) if event.subject_id.isdigit() else None
        event.subject_type = referral_type if referral_id else None
        event.subject_id = str(referral_id) if referral_id else ""
    Event.objects.bulk_update(about_rows, ["subject_type", "subject_id"], batch_size=1000)
    recorded = {
        _moved(e) for e in Event.objects.filter(subject_type=referral_type, kind__in=[MADE, MOVED])
    }
    rows = SupportReferralStep.objects.select_related(
        "referral__venture", "referral__provider__support_type"
    ).order_by("changed_at", "id")
    Event.objects.bulk_create(
        [
            _event(Event, referral_type, row)
            for row in rows.iterator(chunk_size=1000)
            if (str(row.referral_id), row.from_step, row.to_step) not in recorded
        ],
        batch_size=1000,
    )


def backwards(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    SupportReferralStep = apps.get_model("commissioning", "SupportReferralStep")
    SupportReferral = apps.get_model("commissioning", "SupportReferral")
    _, referral_type = _types(apps)
    referrals = {str(pk) for pk in SupportReferral.objects.values_list("pk", flat=True)}
    events = Event.objects.filter(subject_type=referral_type, kind__in=[MADE, MOVED]).order_by(
        "recorded_at", "id"
    )
    rows = []
    for event in events.iterator(chunk_size=1000):
        if event.subject_id not in referrals:
            continue
        referral_id, from_step, to_step = _moved(event)
        data = event.data or {}
        rows.append(
            SupportReferralStep(
                referral_id=int(referral_id),
                from_step=from_step or "",
                to_step=to_step or "",
                on=timezone.localdate(event.at),
                note=data.get("purpose" if event.kind == MADE else "note", ""),
                changed_by_id=event.actor_id,
                changed_at=event.recorded_at,
            )
        )
    SupportReferralStep.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0002_event_recorded_at"),
        ("commissioning", "0007_delete_contractstatuschange"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
