"""Giving a checklist, adding, changing and dropping items, and the daily expiry."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError

from checklists import services, tasks
from checklists.factories import pdf_upload
from checklists.models import Checklist, ChecklistItem, ItemStatus, TemplateItem
from checklists.selectors import item_history
from events.models import Event
from ventures.factories import VentureFactory

pytestmark = pytest.mark.django_db

seed_migration = importlib.import_module("checklists.migrations.0002_default_template")


def test_the_default_template_has_every_section_of_domain_md(default_template):
    assert list(default_template.sections.values_list("name", flat=True)) == [
        "Legal form & governance",
        "Finance",
        "Regulation & quality",
        "Safeguarding & workforce",
        "Insurance",
        "Information governance",
        "Policies",
        "Impact",
        "Commercial",
    ]
    items = TemplateItem.objects.filter(section__template=default_template)
    assert items.count() == sum(len(entries) for _name, entries in seed_migration.SECTIONS) == 38
    assert set(items.filter(spinout_only=True).values_list("label", flat=True)) == {
        "TUPE transfer of NHS staff",
        "Pensions for transferring NHS staff",
        "Contract guarantee from the commissioner",
    }
    assert items.get(label="Employer's liability insurance").validity_months == 12
    assert set(items.values_list("stage_code", flat=True)) == {"startup", "pilot", "growth"}


def test_seeding_twice_changes_nothing(default_template):
    before = TemplateItem.objects.count()
    seed_migration.seed(django_apps, None)
    assert TemplateItem.objects.count() == before


def test_a_checklist_copies_the_template_without_spinout_items_for_other_ventures(
    seir, venture, default_template
):
    checklist = services.checklist_create(actor=seir, venture=venture, template=default_template)

    assert checklist.items.count() == 35
    assert not checklist.items.filter(label__startswith="TUPE").exists()
    item = checklist.items.get(label="Governing document")
    assert (item.section, item.stage_code, item.status) == (
        "Legal form & governance",
        "startup",
        "not_started",
    )
    event = Event.objects.get(kind="checklist.created")
    assert (event.actor, event.venture_id, event.data) == (
        seir,
        venture.pk,
        {"template": str(default_template), "items": 35},
    )


def test_an_nhs_spinout_gets_the_spinout_items(programme, seir, default_template):
    venture = VentureFactory(programme=programme, stage_code="pilot", is_spinout=True)
    checklist = services.checklist_create(actor=seir, venture=venture, template=default_template)
    assert checklist.items.count() == 38
    assert checklist.items.filter(label="TUPE transfer of NHS staff", stage_code="pilot").exists()


@pytest.mark.parametrize("who", ["entrepreneur", "manager", "commissioner", "other_seir"])
def test_only_staff_give_a_checklist(who, request, venture, default_template):
    with pytest.raises(PermissionDenied):
        services.checklist_create(
            actor=request.getfixturevalue(who), venture=venture, template=default_template
        )
    assert not Checklist.objects.exists()
    assert not Event.objects.filter(kind__startswith="checklist.").exists()


def test_a_venture_gets_one_checklist(seir, venture, checklist, default_template):
    count = ChecklistItem.objects.count()
    with pytest.raises(services.ChecklistError, match="already has"):
        services.checklist_create(actor=seir, venture=venture, template=default_template)
    assert ChecklistItem.objects.count() == count


def test_the_seir_adds_an_item_to_a_section(seir, checklist, entrepreneur):
    item = services.checklist_item_add(
        actor=seir,
        checklist=checklist,
        section="Insurance",
        label="Motor insurance for the minibus",
        stage_code="pilot",
        owner=entrepreneur,
        due_date=datetime.date(2027, 3, 1),
        validity_months=12,
    )
    insurance = checklist.items.filter(section="Insurance").exclude(pk=item.pk)
    assert item.section_order == insurance.first().section_order
    assert item.order == max(insurance.values_list("order", flat=True)) + 1
    assert Event.objects.filter(kind="checklist.item_added", subject_id=str(item.pk)).exists()


def test_an_owner_must_be_on_the_team_or_staff(seir, checklist, outsider):
    count = ChecklistItem.objects.count()
    with pytest.raises(ValidationError) as error:
        services.checklist_item_add(
            actor=seir, checklist=checklist, section="Finance", label="X", owner=outsider
        )
    assert "owner" in error.value.message_dict
    assert ChecklistItem.objects.count() == count


def test_the_team_cannot_add_items(entrepreneur, checklist):
    with pytest.raises(PermissionDenied):
        services.checklist_item_add(
            actor=entrepreneur, checklist=checklist, section="Finance", label="X"
        )


def test_an_update_saves_only_what_changed(seir, item, entrepreneur):
    changed = services.checklist_item_update(
        actor=seir,
        item=item,
        data={"label": item.label, "owner": entrepreneur, "due_date": datetime.date(2027, 1, 31)},
    )
    assert changed == ["owner", "due_date"]
    event = Event.objects.get(kind="checklist.item_updated")
    assert event.data["fields"] == {
        "owner": [None, str(entrepreneur)],
        "due_date": [None, "2027-01-31"],
    }
    assert services.checklist_item_update(actor=seir, item=item, data={"owner": entrepreneur}) == []
    assert Event.objects.filter(kind="checklist.item_updated").count() == 1


def test_removing_keeps_the_item_and_its_evidence_as_history(seir, item, entrepreneur):
    services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload())
    with pytest.raises(ValidationError):
        services.checklist_item_remove(actor=seir, item=item, reason=" ")
    services.checklist_item_remove(actor=seir, item=item, reason="Covered by the parent charity.")
    item.refresh_from_db()
    assert (item.removed_by, item.removal_reason) == (seir, "Covered by the parent charity.")
    assert item.evidence.count() == 1
    assert Event.objects.filter(kind="checklist.item_removed").count() == 1


def _accepted(item, seir, entrepreneur, expires_on):
    services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload())
    services.checklist_item_move(actor=entrepreneur, item=item, to_status=ItemStatus.SUBMITTED)
    services.checklist_item_move(
        actor=seir, item=item, to_status=ItemStatus.ACCEPTED, expires_on=expires_on
    )
    item.refresh_from_db()
    return item


def test_expiry_marks_only_accepted_items_past_their_date_and_is_idempotent(
    checklist, seir, entrepreneur
):
    today = datetime.date.today()
    lapsing = _accepted(
        checklist.items.get(label="Public liability insurance"), seir, entrepreneur, today
    )
    valid = _accepted(
        checklist.items.get(label="Employer's liability insurance"),
        seir,
        entrepreneur,
        today + datetime.timedelta(days=1),
    )
    tomorrow = today + datetime.timedelta(days=1)

    assert services.checklist_items_expire(today=tomorrow) == 1

    lapsing.refresh_from_db()
    valid.refresh_from_db()
    assert (lapsing.status, valid.status) == (ItemStatus.EXPIRED, ItemStatus.ACCEPTED)
    change = item_history(item=lapsing)[0]
    assert (change.actor, change.from_status, change.to_status, change.comment) == (
        None,
        ItemStatus.ACCEPTED,
        ItemStatus.EXPIRED,
        f"Expired: valid until {today:%-d %B %Y}.",
    )
    event = Event.objects.get(kind="checklist.item_expired")
    assert (event.actor, event.venture_id) == (None, checklist.venture_id)
    # a second run the same day does nothing more
    assert services.checklist_items_expire(today=tomorrow) == 0
    assert Event.objects.filter(kind="checklist.item_expired").count() == 1


def test_the_beat_task_runs_the_expiry_for_today(checklist, seir, entrepreneur, monkeypatch):
    seen = []
    monkeypatch.setattr(tasks, "checklist_items_expire", lambda *, today: seen.append(today) or 0)
    assert tasks.expire_checklist_items.delay().get() == 0
    assert len(seen) == 1


def test_the_expiry_task_is_on_the_beat_schedule():
    from seir.celery import app

    entry = app.conf.beat_schedule["expire-checklist-items"]
    assert entry["task"] == "checklists.tasks.expire_checklist_items"
    assert entry["task"] in app.tasks
