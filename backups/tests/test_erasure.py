"""An erasure is logged without personal data, and a restore of an older backup erases
the person again (issue 21, item 3)."""

import datetime
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.factories import ProgrammeFactory, global_admin
from backups.models import ErasureRecord
from backups.services import backup_create, backup_restore
from backups.tests.snapshots import wipe
from events.models import Event
from scouting import services as scouting
from scouting.factories import MeetingFactory, PersonFactory
from scouting.models import MergeRecord, Person, Tag, TalentNote

# Transactional (pg_dump and restores see committed data only); serialized rollback puts
# back the reference data the migrations wrote, for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def world(backup_env):
    admin = global_admin(username="root")
    programme = ProgrammeFactory(name="Birmingham East")
    tag, _ = Tag.objects.get_or_create(code="clinician", defaults={"name": "Clinician"})
    nadia = PersonFactory(
        programme=programme,
        name="Nadia Hussain",
        email="nadia@saheli.org.uk",
        phone="0121 440 0000",
        notes="Prefers mornings.",
    )
    nadia.tags.set([tag])
    duplicate = PersonFactory(programme=programme, name="N. Hussain", email="nh@example.org")
    meeting = MeetingFactory(
        programme=programme,
        held_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 30)),
        attendees=[nadia, duplicate],
    )
    TalentNote.objects.create(meeting=meeting, person=nadia, note="Natural organiser")
    TalentNote.objects.create(meeting=meeting, person=duplicate, note="Runs a walking group")
    default_storage.save("checklists/evidence/" + "c" * 32 + ".txt", ContentFile(b"evidence"))
    return admin, nadia, duplicate, meeting


def _assert_erased(person: Person, meeting) -> None:
    person.refresh_from_db()
    assert person.is_erased
    assert person.name == f"Erased person {person.pk}"
    assert (person.email, person.phone, person.notes, person.job_title) == ("", "", "", "")
    assert person.organisation is None
    assert list(person.tags.all()) == []
    assert list(TalentNote.objects.filter(person=person).values_list("note", flat=True)) == [""]
    # The meeting still counts them, anonymously.
    assert person in meeting.attendees.all()


def test_an_erasure_is_logged_in_the_table_and_the_file_with_no_personal_data(world, settings):
    admin, nadia, duplicate, meeting = world
    scouting.person_merge(actor=admin, keep=nadia, remove=duplicate)

    with transaction.atomic():
        scouting.person_erase(actor=admin, person=nadia)
    nadia.refresh_from_db()

    record = ErasureRecord.objects.get()
    assert (record.model, record.object_id, record.related_ids, record.erased_at) == (
        "scouting.person",
        str(nadia.pk),
        [str(duplicate.pk)],
        nadia.erased_at,
    )
    lines = settings.SEIR_ERASURE_LOG.read_text().splitlines()
    assert [json.loads(line) for line in lines] == [
        {
            "model": "scouting.person",
            "object_id": str(nadia.pk),
            "related_ids": [str(duplicate.pk)],
            "erased_at": nadia.erased_at.isoformat(),
        }
    ]
    for personal in ("Nadia", "Hussain", "saheli", "0121", "mornings", "organiser"):
        assert personal not in lines[0]


def test_a_refused_or_rolled_back_erasure_logs_nothing(world, django_user_model, settings):
    admin, nadia, _, _ = world
    outsider = django_user_model.objects.create_user(username="outsider", password="x")

    with pytest.raises(Exception):  # noqa: B017 - the permission refusal
        scouting.person_erase(actor=outsider, person=nadia)
    with pytest.raises(RuntimeError), transaction.atomic():
        scouting.person_erase(actor=admin, person=nadia)
        raise RuntimeError("the request failed after the erasure")

    assert ErasureRecord.objects.count() == 0
    assert not settings.SEIR_ERASURE_LOG.exists()
    nadia.refresh_from_db()
    assert not nadia.is_erased


def test_restoring_an_older_backup_over_the_installation_erases_the_person_again(world, settings):
    """The erasure log's table is read before the database is replaced (no file here)."""
    settings.SEIR_ERASURE_LOG = None
    admin, nadia, duplicate, meeting = world
    older = backup_create()
    scouting.person_merge(actor=admin, keep=nadia, remove=duplicate)
    scouting.person_erase(actor=admin, person=nadia)
    erased_at = Person.objects.get(pk=nadia.pk).erased_at

    result = backup_restore(archive_path=older.path, force=True)

    # The older archive still held the duplicate record, merged in and erased since.
    assert result.erasures_logged == 1
    assert result.erasures_reapplied == 2
    _assert_erased(nadia, meeting)
    _assert_erased(duplicate, meeting)
    assert Person.objects.get(pk=nadia.pk).erased_at == erased_at
    assert Person.objects.filter(is_erased=False).count() == 0
    assert ErasureRecord.objects.get().object_id == str(nadia.pk)
    reapplied = Event.objects.filter(kind="scouting.person_erased", actor=None)
    assert sorted(e.data["person_id"] for e in reapplied) == sorted([nadia.pk, duplicate.pk])
    assert all(e.data["reapplied_after_restore"] for e in reapplied)
    assert set(
        # The person's events only: another kind of record may share the number.
        Event.objects.filter(
            subject_type=ContentType.objects.get_for_model(Person), subject_id=str(nadia.pk)
        ).values_list("subject_label", flat=True)
    ) == {f"Erased person {nadia.pk}"}


def test_restoring_into_a_new_installation_erases_again_from_the_log_file(world, settings):
    """The database is lost with its log table; the file under the var dir survives."""
    admin, nadia, duplicate, meeting = world
    older = backup_create()
    scouting.person_erase(actor=admin, person=nadia)
    wipe()

    result = backup_restore(archive_path=older.path)

    assert result.erasures_reapplied == 1
    _assert_erased(nadia, meeting)
    duplicate.refresh_from_db()
    assert duplicate.name == "N. Hussain"
    assert ErasureRecord.objects.get().object_id == str(nadia.pk)
    assert len(settings.SEIR_ERASURE_LOG.read_text().splitlines()) == 1  # not written twice

    # A second restore of the same archive does the same, and erases nothing twice.
    again = backup_restore(archive_path=older.path, force=True)
    assert again.erasures_reapplied == 1
    assert Event.objects.filter(kind="scouting.person_erased", actor=None).count() == 1


def test_a_person_made_after_the_backup_and_erased_never_lends_their_id_to_another(world):
    admin, nadia, _, _ = world
    older = backup_create()
    newcomer = PersonFactory(programme=nadia.programme, name="Late Arrival")
    scouting.person_erase(actor=admin, person=newcomer)

    backup_restore(archive_path=older.path, force=True)

    assert not Person.objects.filter(pk=newcomer.pk).exists()
    fresh = PersonFactory(programme=nadia.programme, name="Someone New")
    assert fresh.pk > newcomer.pk
    # A later restore erases no one: the logged id belongs to no restored record.
    assert backup_restore(archive_path=older.path, force=True).erasures_reapplied == 0
    assert not Person.objects.filter(is_erased=True).exists()


def test_a_merge_made_before_the_backup_loses_its_copies_of_the_details_again(world):
    admin, nadia, duplicate, _ = world
    scouting.person_merge(actor=admin, keep=nadia, remove=duplicate)
    older = backup_create()
    scouting.person_erase(actor=admin, person=nadia)

    backup_restore(archive_path=older.path, force=True)

    merge = MergeRecord.objects.get()
    name = f"Erased person {nadia.pk}"
    assert (merge.kept_name, merge.removed_name) == (name, name)
    assert (merge.fields, merge.kept_values, merge.removed_values) == ({}, {}, {})


def test_a_damaged_line_in_the_log_file_is_skipped_and_the_rest_reapplied(world, settings):
    admin, nadia, duplicate, meeting = world
    older = backup_create()
    scouting.person_erase(actor=admin, person=nadia)
    with settings.SEIR_ERASURE_LOG.open("a") as log:
        log.write(
            '{"model": "scouting.person", "object_id": "x1", "erased_at": "2026-01-01T00:00:00+00:00"}\n'
        )
        log.write('{"model": "scouting.person", "object_id": "\n')  # cut short by a crash
    wipe()

    result = backup_restore(archive_path=older.path)

    assert result.erasures_reapplied == 1
    _assert_erased(nadia, meeting)
    assert not Person.objects.get(pk=duplicate.pk).is_erased
