"""A section form sent twice (a double click on Save, a resend after a slow answer):
the text is saved once and the second answer says it is saved. Before, the second
answer said "Parveen Akhtar saved this section while you were editing it. Your text has
not been saved", about the person's own first click, though the text was saved."""

import pytest
from django.urls import reverse

from events.models import Event
from plans import factories, services
from plans.models import DraftSection

pytestmark = pytest.mark.django_db

TEXT = "We run sport for women in Balsall Heath, on Mondays and Fridays."


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "inline"])
def test_a_section_sent_twice_is_saved_once_and_says_so(htmx, client, venture, entrepreneur):
    client.force_login(entrepreneur)
    url = reverse("plans:section_edit", args=[venture.pk, "risks"])
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "section-risks"} if htmx else {}
    data = {"body": TEXT, "version": 0}
    first = client.post(url, data, **headers)
    assert first.status_code == (200 if htmx else 302)

    second = client.post(url, data, follow=not htmx, **headers)

    page = second.content.decode()
    assert "while you were editing" not in page
    assert "has not been saved" not in page
    assert "Already saved." in page
    assert list(DraftSection.objects.values_list("section__code", "body", "version")) == [
        ("risks", TEXT, 1)
    ]
    assert Event.objects.filter(kind="plan.draft_saved").count() == 1


def test_the_service_refuses_a_stale_save_of_other_text_and_takes_the_same_text(
    venture, entrepreneur, seir
):
    section = factories.section("risks")
    services.plan_section_save(
        actor=seir, venture=venture, section=section, body=TEXT, expected_version=0
    )
    # The same text from the older version: nothing to save, nothing overwritten.
    assert (
        services.plan_section_save(
            actor=entrepreneur, venture=venture, section=section, body=TEXT, expected_version=0
        )
        is None
    )
    # Other text from the older version is still a conflict.
    with pytest.raises(services.SectionConflict):
        services.plan_section_save(
            actor=entrepreneur, venture=venture, section=section, body="Other.", expected_version=0
        )
    assert list(DraftSection.objects.values_list("body", "version")) == [(TEXT, 1)]
