import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from checklists import demo
from checklists.models import Checklist, ChecklistItem, Evidence, ItemStatus
from checklists.selectors import item_history
from ventures.models import Venture

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_checklists_with_every_status_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    demo.seed_demo()
    assert Checklist.objects.count() == 4
    statuses = set(ChecklistItem.objects.values_list("status", flat=True))
    # every status but Expired: evidence accepted on the day of seeding cannot have run out
    assert statuses == set(ItemStatus.values) - {ItemStatus.EXPIRED}
    files = Evidence.objects.filter(kind="file")
    assert files.count() > 10
    assert Evidence.objects.filter(kind="link").exists()
    assert Evidence.objects.filter(superseded_at__isnull=False).count() == 4
    # spin-out items only on the NHS staff spin-out
    spinout_items = ChecklistItem.objects.filter(template_item__spinout_only=True)
    assert set(spinout_items.values_list("checklist__venture__name", flat=True)) == {
        "Breathe Easy Erdington"
    }
    counts = (Checklist.objects.count(), ChecklistItem.objects.count(), Evidence.objects.count())

    demo.seed_demo()

    assert (
        Checklist.objects.count(),
        ChecklistItem.objects.count(),
        Evidence.objects.count(),
    ) == counts


def test_the_demo_never_says_evidence_accepted_today_has_expired(settings):
    # given the demo seeded today
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    today = timezone.localdate()

    # then nothing has expired, and what is accepted is valid beyond today, each item
    # accepted after it was submitted
    assert not ChecklistItem.objects.filter(status=ItemStatus.EXPIRED).exists()
    expiring = ChecklistItem.objects.filter(status=ItemStatus.ACCEPTED, expires_on__isnull=False)
    assert expiring.exists()
    valid_until = set(expiring.values_list("expires_on", flat=True))
    assert min(valid_until) == today + datetime.timedelta(days=demo.EXPIRING_IN_DAYS)
    for item in ChecklistItem.objects.filter(status=ItemStatus.ACCEPTED):
        moves = [change.to_status for change in reversed(item_history(item=item))]
        assert moves.index(ItemStatus.ACCEPTED) > moves.index(ItemStatus.SUBMITTED), moves

    # and no one is told evidence has expired
    lead = User.objects.get(username="entrepreneur1")
    client = Client()
    client.force_login(lead)
    page = client.get(reverse("ventures:mine")).content.decode()
    assert "has expired" not in page


def test_seed_scale_gives_twenty_items_to_each_venture_without_a_checklist(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    without = Venture.objects.filter(checklist__isnull=True).count()
    checklists, items = Checklist.objects.count(), ChecklistItem.objects.count()

    demo.seed_scale(ventures=5, chunk=2)

    assert Checklist.objects.count() == checklists + 5
    assert ChecklistItem.objects.count() == items + 5 * demo.SCALE_ITEMS_PER_VENTURE
    assert Venture.objects.filter(checklist__isnull=True).count() == without - 5
