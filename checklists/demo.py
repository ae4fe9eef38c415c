"""Demo data for checklists, made through the services (so it obeys the same rules),
plus bulk data at scale for benchmarks. The integrator calls these from seed_demo."""

from __future__ import annotations

import datetime
import itertools

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from ventures.models import Venture

from . import services
from .factories import pdf_upload, png_bytes, upload
from .models import Checklist, ChecklistItem, ChecklistTemplate, ItemStatus, TemplateItem

PROGRAMME = "Birmingham East and North SEiR programme"
# venture name -> the username of its entrepreneur with a demo login
DEMO_VENTURES = {
    "Saheli Women's Centre": "entrepreneur1",
    "Breathe Easy Erdington": "entrepreneur2",
    "Healthy Homes Hodge Hill": "entrepreneur5",
    "Men's Sheds Kingstanding": "entrepreneur3",
}
# The "expiring" items are accepted as valid for this many days from the day of seeding.
EXPIRING_IN_DAYS = 14
PATTERN = (
    "overdue",
    "in_progress",
    "submitted",
    "accepted",
    "returned",
    "not_applicable",
    "expiring",
)


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def seed_demo(*, stdout=None) -> None:
    """Checklists for the demo ventures with items at every status, some with small
    uploaded files (PDF, PNG, text) and links. Idempotent: ventures that already have a
    checklist are left alone."""
    seir = User.objects.filter(username="seir").first()
    template = ChecklistTemplate.objects.filter(code="default").first()
    if seir is None or template is None:
        _say(stdout, "Checklists: run seed_demo first (no demo SEiR or default template).")
        return
    today = timezone.localdate()
    made = 0
    for name, username in DEMO_VENTURES.items():
        venture = Venture.objects.filter(programme__name=PROGRAMME, name=name).first()
        lead = User.objects.filter(username=username).first()
        if venture is None or lead is None or Checklist.objects.filter(venture=venture).exists():
            continue
        with transaction.atomic():
            _demo_checklist(venture=venture, seir=seir, lead=lead, template=template, today=today)
        made += 1
    _say(stdout, f"Checklists: {made} demo checklist(s) given.")


def _demo_checklist(*, venture, seir, lead, template, today) -> None:
    checklist = services.checklist_create(actor=seir, venture=venture, template=template)
    items = list(checklist.items.order_by("section_order", "order", "id"))
    for index, item in enumerate(items):
        if item.stage_code == venture.stage.code and venture.name == "Saheli Women's Centre":
            plan = "accepted"  # its current gate's items are all done: the gate shows green
        else:
            plan = PATTERN[index % len(PATTERN)]
        due = today + datetime.timedelta(days=(index % 5) * 14 - 21)
        services.checklist_item_update(actor=seir, item=item, data={"owner": lead, "due_date": due})
        _play(plan, item=item, seir=seir, lead=lead, index=index, today=today)
    # One item whose first file was replaced: both stay in its history.
    replaced = next(i for i in checklist.items.all() if i.status == ItemStatus.IN_PROGRESS)
    first = services.evidence_add_file(
        actor=lead,
        item=replaced,
        upload=upload("draft-policy.txt", b"Draft policy, v1.\n", "text/plain"),
    )
    services.evidence_add_file(
        actor=lead,
        item=replaced,
        upload=upload("policy-v2.txt", b"Policy, v2, agreed by the board.\n", "text/plain"),
        replaces=first,
    )


def _play(plan: str, *, item, seir, lead, index: int, today) -> None:
    move = services.checklist_item_move
    if plan == "overdue":
        return
    if plan == "not_applicable":
        move(
            actor=seir,
            item=item,
            to_status=ItemStatus.NOT_APPLICABLE,
            comment="No regulated activity is provided.",
        )
        return
    if plan == "in_progress":
        services.evidence_add_link(
            actor=lead,
            item=item,
            url="https://example.org/shared/minutes",
            title="Board minutes (shared drive)",
        )
        return
    if index % 2:
        services.evidence_add_file(
            actor=lead, item=item, upload=pdf_upload(f"{item.label[:40]}.pdf", item.label[:60])
        )
    else:
        services.evidence_add_file(
            actor=lead, item=item, upload=upload("photo.png", png_bytes(), "image/png")
        )
    move(actor=lead, item=item, to_status=ItemStatus.SUBMITTED)
    if plan == "submitted":
        return
    if plan == "returned":
        move(
            actor=seir,
            item=item,
            to_status=ItemStatus.RETURNED,
            comment="Please send the signed copy.",
        )
        return
    # Evidence accepted today that runs out soon: the daily run expires it after that day
    # (accepting it as valid until today, then expiring it "as if tomorrow", told the team
    # on the day it was seeded that it had expired today).
    expires = today + datetime.timedelta(days=EXPIRING_IN_DAYS) if plan == "expiring" else None
    move(
        actor=seir,
        item=item,
        to_status=ItemStatus.ACCEPTED,
        comment="Looks good.",
        expires_on=expires,
    )


SCALE_ITEMS_PER_VENTURE = 20
SCALE_STATUSES = (
    ItemStatus.NOT_STARTED,
    ItemStatus.IN_PROGRESS,
    ItemStatus.SUBMITTED,
    ItemStatus.ACCEPTED,
    ItemStatus.RETURNED,
    ItemStatus.NOT_APPLICABLE,
    ItemStatus.EXPIRED,
)


def seed_scale(*, ventures: int, stdout=None, chunk: int = 500) -> None:
    """~20 checklist items for each of up to ``ventures`` ventures that have no checklist
    yet (bulk inserts, no events: benchmark data only)."""
    template = ChecklistTemplate.objects.filter(code="default").first()
    if template is None:
        _say(stdout, "Checklists: no default template; run migrations first.")
        return
    template_items = list(
        TemplateItem.objects.filter(section__template=template, spinout_only=False)
        .select_related("section")
        .order_by("section__order", "order")[:SCALE_ITEMS_PER_VENTURE]
    )
    venture_ids = list(
        Venture.objects.filter(checklist__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[: max(0, int(ventures))]
    )
    now = timezone.now()
    today = timezone.localdate()
    statuses = itertools.cycle(SCALE_STATUSES)
    created = 0
    for start in range(0, len(venture_ids), chunk):
        ids = venture_ids[start : start + chunk]
        with transaction.atomic():
            Checklist.objects.bulk_create(
                Checklist(venture_id=pk, template=template, created_at=now) for pk in ids
            )
            checklists = Checklist.objects.filter(venture_id__in=ids).values_list("pk", flat=True)
            items = []
            for checklist_id in checklists:
                for offset, t in enumerate(template_items):
                    items.append(
                        t.new_item(
                            checklist_id=checklist_id,
                            status=next(statuses),
                            due_date=today + datetime.timedelta(days=offset * 7 - 30),
                            created_at=now,
                        )
                    )
            ChecklistItem.objects.bulk_create(items, batch_size=2000)
            created += len(items)
    # Bulk inserts send no signals: the day rows are built once, at the end.
    from .tallies import programme_rebuild

    programmes = Venture.objects.filter(pk__in=venture_ids).values_list("programme_id", flat=True)
    for programme_id in set(programmes):
        programme_rebuild(programme_id)
    _say(stdout, f"Checklists: {created} items for {len(venture_ids)} ventures.")
