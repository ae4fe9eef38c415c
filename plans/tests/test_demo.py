"""plans.demo.seed_demo runs after the project's seed_demo, through the services, twice safely."""

import pytest
from django.core.management import call_command

from plans import demo
from plans.models import BusinessPlan, PlanComment, PlanVersion

pytestmark = pytest.mark.django_db


def test_demo_plans(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")

    demo.seed_demo()
    demo.seed_demo()  # idempotent

    plans = {
        p.venture.name: (p.status, p.latest_number)
        for p in BusinessPlan.objects.select_related("venture")
    }
    assert plans == {
        "Saheli Women's Centre": ("submitted", 2),
        "Men's Sheds Kingstanding": ("approved", 2),
        "Breathe Easy Erdington": ("submitted", 1),
    }
    saheli = PlanVersion.objects.filter(plan__venture__name="Saheli Women's Centre")
    assert dict(saheli.values_list("number", "review__status")) == {
        1: "feedback_given",
        2: "submitted",
    }
    assert sorted(
        PlanComment.objects.filter(version__in=saheli).values_list("section_code", flat=True)
    ) == ["", "executive-summary", "financial-plan", "market"]
    saheli_plan = BusinessPlan.objects.get(venture__name="Saheli Women's Centre")
    assert saheli_plan.draft_sections.get(section__code="risks").body.startswith(
        "- Losing our hall booking: we are negotiating"
    )


def test_demo_without_the_demo_programme_does_nothing(capsys):
    class Out:
        lines = []

        def write(self, text):
            self.lines.append(text)

    out = Out()
    demo.seed_demo(stdout=out)
    assert out.lines == ["Business plans: no demo programme yet (run seed_demo first)."]
    assert not BusinessPlan.objects.exists()
