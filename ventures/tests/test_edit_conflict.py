"""Two people editing the same venture through the edit page (optimistic locking)."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from ventures.models import FieldChange

pytestmark = pytest.mark.django_db


def form_version(response) -> int:
    return int(re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1))


def team_fields(venture, **values):
    """The team's part of the edit form, as loaded, with ``values`` typed over it."""
    fields = {
        name: getattr(venture, name)
        for name in ("name", "summary", "need", "beneficiaries", "area")
    }
    fields["legal_form"] = ""
    fields.update(values)
    return fields


def test_second_save_from_the_same_version_gets_the_conflict_message(venture, seir, entrepreneur):
    # given: the SEiR and the lead entrepreneur both open the edit form at version 1
    url = reverse("ventures:edit", args=[venture.pk])
    first, second = Client(), Client()
    first.force_login(seir)
    second.force_login(entrepreneur)
    first_version = form_version(first.get(url))
    second_version = form_version(second.get(url))
    assert first_version == second_version == 1

    # when: the SEiR saves first, then the entrepreneur saves
    saved = first.post(
        url,
        {
            **team_fields(venture, name="Saheli CIC"),
            "origin": "community",
            "lead": entrepreneur.pk,
            "seir": seir.pk,
            "version": first_version,
        },
    )
    clash = second.post(
        url,
        {
            **team_fields(venture, name="Saheli Wellbeing Centre", summary="Our own summary."),
            "version": second_version,
        },
    )

    # then: the first save stands; the second gets the form back with its own input
    assert saved.status_code == 302
    assert clash.status_code == 200
    page = html.unescape(clash.content.decode())
    assert "Someone else saved changes to this venture while you were editing." in page
    assert 'value="Saheli Wellbeing Centre"' in page
    assert re.search(r'id="id_summary">\s*Our own summary\.</textarea>', page)
    assert re.search(
        r"<dt>Name <span[^>]*>you changed this too</span></dt>\s*<dd[^>]*>Saheli CIC</dd>", page
    )
    assert form_version(clash) == 2  # a deliberate second save will win
    venture.refresh_from_db()
    assert (venture.name, venture.summary, venture.version) == (
        "Saheli CIC",
        "Sport and social activities for women.",
        2,
    )
    assert list(
        FieldChange.objects.filter(venture=venture).values_list("field", "new_value", "changed_by")
    ) == [("name", "Saheli CIC", seir.pk)]


def test_saving_again_after_the_conflict_replaces_the_other_save(venture, seir, entrepreneur):
    # given: a conflict has been shown to the entrepreneur
    url = reverse("ventures:edit", args=[venture.pk])
    first, second = Client(), Client()
    first.force_login(seir)
    second.force_login(entrepreneur)
    first.post(
        url,
        {
            **team_fields(venture, name="Saheli CIC"),
            "origin": "community",
            "lead": entrepreneur.pk,
            "seir": seir.pk,
            "version": 1,
        },
    )
    clash = second.post(url, {**team_fields(venture, name="Saheli Wellbeing Centre"), "version": 1})

    # when: they save again from the form they were given back
    again = second.post(
        url,
        {**team_fields(venture, name="Saheli Wellbeing Centre"), "version": form_version(clash)},
    )

    # then
    assert again.status_code == 302
    venture.refresh_from_db()
    assert (venture.name, venture.version) == ("Saheli Wellbeing Centre", 3)


def test_fields_left_alone_take_the_other_save_so_saving_again_keeps_it(
    venture, seir, entrepreneur
):
    # given: both open the form; the SEiR changes only the area and saves
    url = reverse("ventures:edit", args=[venture.pk])
    first, second = Client(), Client()
    first.force_login(seir)
    second.force_login(entrepreneur)
    version = form_version(second.get(url))
    first.post(
        url,
        {
            **team_fields(venture, area="Sparkhill"),
            "origin": "community",
            "lead": entrepreneur.pk,
            "seir": seir.pk,
            "version": form_version(first.get(url)),
        },
    )

    # when: the entrepreneur, who changed only the summary, saves from the old version
    clash = second.post(
        url, {**team_fields(venture, summary="Our own summary."), "version": version}
    )

    # then: the area box now shows the SEiR's value, the summary keeps theirs
    page = html.unescape(clash.content.decode())
    assert clash.status_code == 200
    assert re.search(r'name="area" value="Sparkhill"', page)
    assert re.search(r'id="id_summary">\s*Our own summary\.</textarea>', page)
    assert "you changed this too" not in page

    # when: they save the form as shown
    again = second.post(
        url,
        {
            **team_fields(venture, area="Sparkhill", summary="Our own summary."),
            "version": form_version(clash),
        },
    )

    # then: both changes stand; nothing was undone
    assert again.status_code == 302
    venture.refresh_from_db()
    assert (venture.area, venture.summary, venture.version) == ("Sparkhill", "Our own summary.", 3)
