"""A person's data on request: everything held about them, and erasure in place."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from backups.erasure import Erasure, erasure_log
from events.models import Event

from ..models import FollowUp, MergeKind, MergeRecord, Person, TalentNote
from ..permissions import require_manage_programme
from .common import ScoutingError, record

ERASED_NAME = "Erased person"
# How the erasure log names a person (backups.erasure); registered in ScoutingConfig.ready.
ERASURE_MODEL = "scouting.person"


def _person_data(person: Person) -> dict:
    meetings = person.meetings.order_by("held_at", "id")
    return {
        "person": {
            "id": person.pk,
            "programme": person.programme.name,
            "name": person.name,
            "organisation": person.organisation.name if person.organisation else "",
            "job_title": person.job_title,
            "email": person.email,
            "phone": person.phone,
            "notes": person.notes,
            "tags": [t.name for t in person.tags.order_by("order", "name")],
            "consent_to_contact": person.consent_to_contact,
            "consent_date": person.consent_date.isoformat() if person.consent_date else None,
            "created_at": person.created_at.isoformat(),
            "updated_at": person.updated_at.isoformat(),
        },
        "meetings_attended": [
            {
                "id": m.pk,
                "held_at": m.held_at.isoformat(),
                "type": m.get_meeting_type_display(),
                "location": m.location,
            }
            for m in meetings
        ],
        "talent_notes": [
            {"meeting_id": t.meeting_id, "note": t.note}
            for t in TalentNote.objects.filter(person=person).order_by("id")
        ],
        "ideas_proposed": [
            {"id": i.pk, "title": i.title, "status": i.get_status_display()}
            for i in person.ideas.order_by("id")
        ],
        "follow_ups": [
            {
                "id": f.pk,
                "what": f.what,
                "due": f.due.isoformat() if f.due else None,
                "done": f.done,
            }
            for f in FollowUp.objects.filter(person=person).order_by("id")
        ],
        "records_merged_into_them": [
            {
                "merged_at": m.merged_at.isoformat(),
                "removed_id": m.removed_id,
                "removed_name": m.removed_name,
                "values_of_the_removed_record": m.removed_values,
                "values_before_the_merge": m.kept_values,
                "value_kept_per_field": m.fields,
            }
            for m in MergeRecord.objects.filter(kind=MergeKind.PERSON, kept_id=person.pk).order_by(
                "merged_at", "id"
            )
        ],
    }


@transaction.atomic
def person_export(*, actor: User, person: Person) -> dict:
    """Everything held about ``person`` (a subject access request), logged."""
    require_manage_programme(actor, person.programme_id)
    data = _person_data(person)
    record(actor, "person_exported", person, data={"person_id": person.pk}, visibility="staff")
    return data


def _merged_into(person_pk: int) -> list[int]:
    """Ids of every record merged into ``person_pk``, directly or through another merge:
    deleted now, but an older backup still holds them."""
    found: list[int] = []
    frontier = [person_pk]
    while frontier:
        removed = list(
            MergeRecord.objects.filter(kind=MergeKind.PERSON, kept_id__in=frontier)
            .exclude(removed_id__in=[person_pk, *found])
            .values_list("removed_id", flat=True)
        )
        found += removed
        frontier = removed
    return sorted(set(found))


def _person_scrub(person: Person, *, erased_at) -> None:
    """Everything an erasure does to the rows (``person`` is locked by the caller)."""
    person.name = f"{ERASED_NAME} {person.pk}"
    person.organisation = None
    person.job_title = person.email = person.phone = person.notes = ""
    person.consent_to_contact = False
    person.consent_date = None
    person.is_erased = True
    person.erased_at = erased_at
    person.save()
    person.tags.clear()
    TalentNote.objects.filter(person=person).update(note="")
    # Merges into this record kept copies of both records' details: those go as well
    # (the ids, the date and what moved stay, so the merge still counts).
    MergeRecord.objects.filter(kind=MergeKind.PERSON, kept_id=person.pk).update(
        kept_name=person.name,
        removed_name=person.name,
        fields={},
        kept_values={},
        removed_values={},
    )
    # Earlier events kept the person's name as a label: anonymise those too.
    Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(Person), subject_id=str(person.pk)
    ).update(subject_label=person.name)


@transaction.atomic
def person_erase(*, actor: User, person: Person) -> Person:
    """Anonymise ``person`` in place: their details and notes about them go, the record
    and its links stay, so meeting and idea counts are unchanged. Logged, and written to
    the erasure log (no personal data), which every restore re-applies."""
    require_manage_programme(actor, person.programme_id)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_erased:
        raise ScoutingError("This person's data has already been erased.")
    _person_scrub(person, erased_at=timezone.now())
    erasure_log(
        model=ERASURE_MODEL,
        object_id=person.pk,
        related_ids=_merged_into(person.pk),
        erased_at=person.erased_at,
    )
    record(actor, "person_erased", person, data={"person_id": person.pk}, visibility="staff")
    return person


def person_erasure_reapply(erasure: Erasure) -> int:
    """Erase again, after a restore, the person an erasure log entry names and the
    records merged into them, where the restored data still holds them unerased.
    Returns how many were erased now; each is recorded as an event (without an actor)."""
    erased = 0
    with transaction.atomic():
        for pk in (erasure.object_id, *erasure.related_ids):
            if not pk.isdigit():  # never a person's id (a damaged log line)
                continue
            person = Person.objects.select_for_update().filter(pk=int(pk)).first()
            if person is None or person.is_erased:
                continue
            _person_scrub(person, erased_at=erasure.erased_at)
            record(
                None,
                "person_erased",
                person,
                data={"person_id": person.pk, "reapplied_after_restore": True},
                visibility="staff",
            )
            erased += 1
    return erased
