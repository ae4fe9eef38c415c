"""A venture's pages take its programme and legal form from the reference data
(``ventures.selectors.with_reference``, cached by ``seir.refcache``) rather than
joining them: what they show follows every change on the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Programme
from ventures import selectors
from ventures.factories import VentureFactory
from ventures.models import LegalForm, Venture

pytestmark = pytest.mark.django_db


def _page(client, venture) -> str:
    response = client.get(reverse("ventures:detail", args=[venture.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_venture_comes_with_its_programme_and_legal_form(seir, venture, legal_forms):
    # given
    form = next(iter(legal_forms.values()))
    Venture.objects.filter(pk=venture.pk).update(legal_form=form)

    # when: read twice (the second time from the cache)
    first, _ = selectors.venture_get(user=seir, pk=venture.pk)
    with CaptureQueriesContext(connection) as queries:
        second, _ = selectors.venture_get(user=seir, pk=venture.pk)
        shown = (second.programme.name, second.legal_form.name, second.stage.code)

    # then: the same objects' values, and one query for the venture (plus the access's)
    assert shown == (venture.programme.name, form.name, venture.stage.code)
    assert (first.programme.pk, first.legal_form.pk) == (venture.programme_id, form.pk)
    assert not any('"accounts_programme"' in q["sql"] for q in queries.captured_queries)
    assert not any('"ventures_legalform"' in q["sql"] for q in queries.captured_queries)


def test_a_venture_without_a_legal_form_has_none(seir, venture):
    Venture.objects.filter(pk=venture.pk).update(legal_form=None)

    found, _ = selectors.venture_get(user=seir, pk=venture.pk)

    assert found.legal_form is None and found.legal_form_id is None


def test_renaming_the_programme_or_the_legal_form_shows_on_the_next_request(
    client, seir, venture, legal_forms
):
    # given: the page drawn once (the reference data cached)
    form = next(iter(legal_forms.values()))
    Venture.objects.filter(pk=venture.pk).update(legal_form=form)
    client.force_login(seir)
    html = _page(client, venture)
    assert form.name in html

    # when
    programme = Programme.objects.get(pk=venture.programme_id)
    programme.name = "Renamed programme"
    programme.save()
    form.name = "Renamed legal form"
    form.save()
    html = _page(client, venture)

    # then
    assert "Renamed programme" in html
    assert "Renamed legal form" in html


def test_a_programme_written_by_another_client_is_read_not_missed(seir, venture, programme):
    # given: the reference data cached after the last change Django saw ...
    from accounts.factories import UserFactory

    admin = UserFactory(is_global_admin=True)
    moved = VentureFactory(programme=programme, stage_code="idea", seir=seir)
    selectors.venture_get(user=admin, pk=venture.pk)
    # ... then a programme and a legal form written without Django's signals (as another
    # database client would), and a venture moved into them
    [elsewhere] = Programme.objects.bulk_create(
        [
            Programme(
                name="Written elsewhere",
                start_date=programme.start_date,
                end_date=programme.end_date,
            )
        ]
    )
    [form] = LegalForm.objects.bulk_create([LegalForm(code="elsewhere", name="Form elsewhere")])
    Venture.objects.filter(pk=moved.pk).update(programme=elsewhere, legal_form=form)

    # when
    found, _ = selectors.venture_get(user=admin, pk=moved.pk)

    # then
    assert (found.programme.name, found.legal_form.name) == ("Written elsewhere", "Form elsewhere")


def test_the_programmes_a_person_sees_come_in_order_from_the_reference_data(seir, programme):
    import datetime

    from accounts import services as accounts_services
    from accounts.factories import UserFactory
    from accounts.models import Role
    from accounts.selectors import programmes_visible_to
    from ventures.reference import visible_programmes

    # given: the SEiR also in two newer programmes, one of them starting the same day as
    # the other (then by name), and a programme they are not in
    start = programme.start_date + datetime.timedelta(days=30)
    for name in ("Zeta programme", "Alpha programme"):
        newer = Programme.objects.create(
            name=name,
            host_organisation="PCT",
            start_date=start,
            end_date=start + datetime.timedelta(days=365),
        )
        accounts_services.membership_add(programme=newer, user=seir, role=Role.SEIR)
    Programme.objects.create(
        name="Not theirs",
        host_organisation="PCT",
        start_date=start,
        end_date=start + datetime.timedelta(days=365),
    )
    admin = UserFactory(is_global_admin=True)
    nobody = UserFactory()
    visible_programmes(seir)  # the reference data cached

    for person in (seir, admin, nobody):
        # when
        with CaptureQueriesContext(connection) as queries:
            shown = [p.name for p in visible_programmes(person)]

        # then: what the query gives, in its order, without reading the programmes
        assert shown == [p.name for p in programmes_visible_to(user=person)]
        assert not any('"accounts_programme"' in q["sql"] for q in queries.captured_queries)
    assert [p.name for p in visible_programmes(seir)] == [
        "Alpha programme",
        "Zeta programme",
        programme.name,
    ]
    assert "Not theirs" in [p.name for p in visible_programmes(admin)]
    assert visible_programmes(nobody) == []


def test_a_programme_another_client_wrote_is_still_shown(seir, programme):
    from accounts.models import ProgrammeMembership, Role
    from ventures.reference import visible_programmes

    visible_programmes(seir)  # the reference data cached
    # written without Django's signals, as another database client would
    [elsewhere] = Programme.objects.bulk_create(
        [
            Programme(
                name="Written elsewhere",
                start_date=programme.start_date,
                end_date=programme.end_date,
            )
        ]
    )
    ProgrammeMembership.objects.bulk_create(
        [ProgrammeMembership(programme=elsewhere, user=seir, role=Role.SEIR)]
    )
    seir = type(seir).objects.get(pk=seir.pk)  # a new request's user

    assert sorted(p.name for p in visible_programmes(seir)) == sorted(
        [programme.name, "Written elsewhere"]
    )
