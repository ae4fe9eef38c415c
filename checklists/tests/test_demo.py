import pytest
from django.core.management import call_command

from checklists import demo
from checklists.models import Checklist, ChecklistItem, Evidence, ItemStatus
from ventures.models import Venture

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_checklists_with_every_status_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    demo.seed_demo()
    assert Checklist.objects.count() == 4
    statuses = set(ChecklistItem.objects.values_list("status", flat=True))
    assert statuses == set(ItemStatus.values)
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


def test_seed_scale_gives_twenty_items_to_each_venture_without_a_checklist(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    without = Venture.objects.filter(checklist__isnull=True).count()

    demo.seed_scale(ventures=5, chunk=2)

    assert Checklist.objects.count() == 5
    assert ChecklistItem.objects.count() == 5 * demo.SCALE_ITEMS_PER_VENTURE
    assert Venture.objects.filter(checklist__isnull=True).count() == without - 5
