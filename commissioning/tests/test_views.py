"""Pages: who sees what (commissioners get 404 for everything not addressed to them),
responding, CSV, hostile input, and query counts that do not grow with data."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from commissioning import services
from commissioning.factories import ContactFactory, PriorityFactory, WindowFactory
from commissioning.models import Introduction
from ventures.factories import VentureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def intro(seir, venture, contact, priority, days_ago):
    return services.introduction_make(
        actor=seir,
        venture=venture,
        contact=contact,
        priority=priority,
        purpose="=HYPERLINK(1)",
        made_on=days_ago(3),
    )


@pytest.fixture
def council_intro(seir, other_venture, council_contact, days_ago):
    return services.introduction_make(
        actor=seir,
        venture=other_venture,
        contact=council_contact,
        purpose="Falls prevention",
        made_on=days_ago(2),
    )


def _export_rows(client, query: str = "") -> list[list[str]]:
    """The CSV export read to its end (it is streamed: rows are fetched as it is read)."""
    response = client.get(reverse("commissioning:export") + query)
    assert response.status_code == 200
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_commissioner_sees_only_their_organisations_introductions(
    client, commissioner_user, intro, council_intro
):
    client.force_login(commissioner_user)
    response = client.get(reverse("commissioning:introductions"))
    assert response.status_code == 200
    assert [i.pk for c in response.context["columns"] for i in c.items] == [intro.pk]
    assert client.get(reverse("commissioning:introduction", args=[intro.pk])).status_code == 200
    assert (
        client.get(reverse("commissioning:introduction", args=[council_intro.pk])).status_code
        == 404
    )
    rows = _export_rows(client)
    assert [r[0] for r in rows[1:]] == [str(intro.pk)]


def test_a_commissioner_reads_the_introduced_ventures_profile_on_the_introduction_only(
    client, commissioner_user, intro, venture, other_venture, council_intro
):
    # issue 16, item 7: the profile on the introduction, none of the venture's own pages
    venture.need = "Lonely older men in Kingstanding"
    venture.save(update_fields=["need"])
    client.force_login(commissioner_user)
    page = client.get(reverse("commissioning:introduction", args=[intro.pk]))
    assert page.status_code == 200
    assert page.context["shows_profile"] is True
    assert page.context["links_venture"] is False
    html = page.content.decode()
    assert (
        '<dd class="col-sm-8 prewrap" id="venture-need">Lonely older men in Kingstanding</dd>'
        in (html)
    )
    assert reverse("ventures:detail", args=[venture.pk]) not in html
    for url in [
        reverse("ventures:detail", args=[venture.pk]),
        reverse("ventures:detail", args=[other_venture.pk]),
        reverse("ventures:edit", args=[venture.pk]),
        reverse("commissioning:venture_tab", args=[venture.pk]),
        reverse("commissioning:venture_tab", args=[other_venture.pk]),
        reverse("commissioning:commissioners"),
        reverse("commissioning:commissioner", args=[intro.commissioner_id]),
        reverse("commissioning:priority", args=[intro.priority_id]),
        reverse("commissioning:ledger"),
        reverse("commissioning:introduction_create"),
        reverse("commissioning:contract_create", args=[venture.pk]),
    ]:
        assert client.get(url).status_code in (403, 404), url
    assert client.get(reverse("commissioning:venture_tab", args=[venture.pk])).status_code == 404
    assert client.get(reverse("ventures:detail", args=[venture.pk])).status_code == 404
    assert client.get(reverse("commissioning:ledger")).status_code == 404


def test_the_commissioner_agrees_a_meeting(client, commissioner_user, intro, days_ago):
    client.force_login(commissioner_user)
    url = reverse("commissioning:introduction_respond", args=[intro.pk])
    day = days_ago(-3)
    response = client.post(
        url,
        {
            "answer": "agree",
            "proposed_date_1": day.isoformat(),
            "reason": "",
            "expected_step": "requested",
        },
    )
    assert response.status_code == 302
    intro.refresh_from_db()
    assert intro.step == "meeting_agreed"
    assert intro.steps.last().changed_by == commissioner_user
    assert [d.on for d in intro.steps.last().proposed_dates.all()] == [day]


def test_declining_without_a_reason_is_refused_beside_the_field(client, commissioner_user, intro):
    client.force_login(commissioner_user)
    url = reverse("commissioning:introduction_respond", args=[intro.pk])
    response = client.post(url, {"answer": "decline", "reason": " ", "expected_step": "requested"})
    assert response.status_code == 400
    assert response.context["respond_form"].errors == {
        "reason": ["Give a reason when you decline."]
    }
    intro.refresh_from_db()
    assert intro.step == "requested"


def test_another_organisation_cannot_respond(client, council_user, council_contact, intro):
    client.force_login(council_user)
    url = reverse("commissioning:introduction_respond", args=[intro.pk])
    assert client.post(url, {"answer": "agree", "expected_step": "requested"}).status_code == 404
    intro.refresh_from_db()
    assert intro.step == "requested"


def test_the_commissioner_cannot_use_the_staff_step_form(client, commissioner_user, intro):
    client.force_login(commissioner_user)
    url = reverse("commissioning:introduction_step", args=[intro.pk])
    data = {"to_step": "introduced", "on": "2026-01-01", "expected_step": "requested"}
    assert client.post(url, data).status_code == 404
    intro.refresh_from_db()
    assert intro.step == "requested"


def test_a_stale_step_form_is_refused_with_a_message(client, seir, intro):
    client.force_login(seir)
    Introduction.objects.filter(pk=intro.pk).update(step="introduced")
    url = reverse("commissioning:introduction_step", args=[intro.pk])
    response = client.post(
        url,
        {
            "to_step": "declined",
            "on": intro.step_on.isoformat(),
            "note": "x",
            "expected_step": "requested",
        },
    )
    assert response.status_code == 400
    assert "since you loaded the page" in str(response.context["step_form"].non_field_errors())


def test_csv_export_is_formula_safe(client, seir, intro):
    client.force_login(seir)
    rows = _export_rows(client)
    assert rows[0][:3] == ["id", "venture", "programme"]
    assert rows[1][8] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_csv_export_neutralises_every_formula_prefix(client, seir, intro, prefix):
    # given: an introduction whose purpose starts with a formula character
    Introduction.objects.filter(pk=intro.pk).update(purpose=f"{prefix}1+1")
    client.force_login(seir)

    # when / then: the cell is prefixed with a quote, the rest unchanged
    assert _export_rows(client)[1][8] == f"'{prefix}1+1"


def test_csv_export_is_streamed_under_its_dated_name(client, seir, intro):
    from django.utils import timezone

    client.force_login(seir)
    response = client.get(reverse("commissioning:export"))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="introductions-{timezone.localdate().isoformat()}.csv"'
    )


@pytest.mark.parametrize(
    "query",
    [
        "step=nonsense",
        "commissioner=-1",
        "commissioner=99999999999999999999",
        "made_by=abc",
        "made_after=9999-99-99",
        "made_after=1000-01-01",
        "q=" + "x" * 5000,
        "q=%00",
        "q=%F0%9F%92%A9",
        "page=-5",
        "page=999999999999999999999",
        "programme=%00",
    ],
)
@pytest.mark.parametrize(
    "name", ["commissioning:introductions", "commissioning:ledger", "commissioning:export"]
)
def test_hostile_query_strings_never_500(client, seir, intro, name, query):
    client.force_login(seir)
    response = client.get(reverse(name) + "?" + query)
    assert response.status_code == 200
    if response.streaming:  # the export's rows are read as it streams: read them all
        b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "query",
    [
        "venture=-1",
        "venture=abc",
        "priority=99999999999999999999999",
        "priority=%00",
        "venture=1e9",
        "venture=%C2%B2",
        "priority=" + "9" * 5000,
    ],
)
def test_hostile_prefills_never_500(client, seir, query):
    client.force_login(seir)
    assert client.get(reverse("commissioning:introduction_create") + "?" + query).status_code == 200


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("1e30", "Ensure this value is less than or equal to 999999999.99."),
        ("-5", "Enter the contract's value: more than £0."),
        ("abc", "Enter an amount in pounds, such as 1250 or £1,250.50."),
        ("NaN", "Enter an amount in pounds, such as 1250 or £1,250.50."),
    ],
)
def test_contract_value_bounds_give_form_errors(client, seir, venture, ben_pct, value, error):
    client.force_login(seir)
    response = client.post(
        reverse("commissioning:contract_create", args=[venture.pk]),
        {
            "commissioner": ben_pct.pk,
            "service": "X",
            "value": value,
            "start_date": "2026-01-01",
            "end_date": "2027-01-01",
            "status": "signed",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["value"][0] == error


def test_seir_makes_an_introduction_prefilled_from_a_priority(
    client, seir, venture, contact, priority
):
    client.force_login(seir)
    url = (
        reverse("commissioning:introduction_create")
        + f"?venture={venture.pk}&priority={priority.pk}"
    )
    form = client.get(url).context["form"]
    assert (form.initial["venture"], form.initial["priority"], form.initial["contact"]) == (
        venture.pk,
        priority.pk,
        contact.pk,
    )
    response = client.post(
        url,
        {
            "venture": venture.pk,
            "contact": contact.pk,
            "priority": priority.pk,
            "made_on": form.initial["made_on"]
            if "made_on" in form.initial
            else form.fields["made_on"].initial.isoformat(),
            "purpose": "Pilot",
        },
    )
    introduction = Introduction.objects.get()
    assert response.status_code == 302
    assert (
        introduction.venture,
        introduction.contact,
        introduction.priority,
        introduction.made_by,
    ) == (
        venture,
        contact,
        priority,
        seir,
    )


def test_managers_read_but_cannot_write(client, manager, venture, intro):
    client.force_login(manager)
    assert client.get(reverse("commissioning:introductions")).status_code == 200
    assert client.get(reverse("commissioning:ledger")).status_code == 200
    assert client.get(reverse("commissioning:venture_tab", args=[venture.pk])).status_code == 200
    assert client.get(reverse("commissioning:introduction_create")).status_code == 404
    assert (
        client.post(reverse("commissioning:introduction_step", args=[intro.pk]), {}).status_code
        == 404
    )
    assert (
        client.get(reverse("commissioning:contract_create", args=[venture.pk])).status_code == 404
    )


def test_ledger_counts_per_person(client, seir, manager, programme, intro, council_intro, contact):
    from accounts.factories import member
    from accounts.roles import Role

    other = member(programme, Role.SEIR, username="sam2", first_name="Zoe", last_name="Second")
    venture = VentureFactory(programme=programme, seir=other)
    second = services.introduction_make(actor=other, venture=venture, contact=contact, purpose="x")
    services.referral_move(actor=other, referral=second, to_step="no_response")
    client.force_login(manager)
    rows = client.get(reverse("commissioning:ledger")).context["rows"]
    assert [(r.person, r.total, r.open, r.by_step) for r in rows] == [
        ("Samira Patel", 2, 2, {"requested": 2}),
        ("Zoe Second", 1, 0, {"no_response": 1}),
    ]


def _bulk(seir, programme, ben_pct, n):
    contact = ContactFactory(commissioner=ben_pct)
    priority = PriorityFactory(commissioner=ben_pct)
    WindowFactory(priority=priority)
    for k in range(n):
        venture = VentureFactory(programme=programme, seir=seir)
        intro = services.introduction_make(
            actor=seir, venture=venture, contact=contact, priority=priority, purpose="p"
        )
        if k % 2:
            services.referral_move(actor=seir, referral=intro, to_step="introduced")
        services.contract_record(
            actor=seir,
            venture=venture,
            commissioner=ben_pct,
            service="S",
            value=1,
            start_date=__import__("datetime").date(2026, 1, 1),
            end_date=__import__("datetime").date(2027, 1, 1),
        )


@pytest.mark.parametrize(
    "url_name",
    ["commissioning:introductions", "commissioning:ledger", "commissioning:commissioners"],
)
def test_list_query_counts_do_not_grow(
    client, seir, programme, ben_pct, url_name, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(seir)
    _bulk(seir, programme, ben_pct, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(url_name)).status_code == 200
    _bulk(seir, programme, ben_pct, 12)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(small) == len(large)
    with django_assert_max_num_queries(14):
        client.get(reverse(url_name))


def test_venture_tab_and_priority_query_counts_do_not_grow(
    client, seir, programme, venture, ben_pct, domains, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.venture_focus_set(actor=seir, venture=venture, domains=[domains[2]], service_areas=[])
    client.force_login(seir)

    def counts():
        priority = PriorityFactory(commissioner=ben_pct, domain=domains[2])
        WindowFactory(priority=priority)
        result = []
        for url in (
            reverse("commissioning:venture_tab", args=[venture.pk]),
            reverse("commissioning:priority", args=[priority.pk]),
        ):
            # Warm first: reference data (seir.refcache) is read once, then cached.
            assert client.get(url).status_code == 200
            with CaptureQueriesContext(connection) as q:
                assert client.get(url).status_code == 200
            result.append(len(q))
        return result

    small = counts()
    # the tab reads the venture's focus (two queries: the focus, then its domains' and
    # areas' ids; the rows themselves are reference data) once, not again for the matches
    # (17 queries when it did), and its form's check boxes are drawn from the reference
    # data too (14 queries when they were read, with the choices still offered, again)
    assert small[0] == 10
    for _ in range(8):
        v = VentureFactory(programme=programme, seir=seir)
        services.venture_focus_set(actor=seir, venture=v, domains=[domains[2]], service_areas=[])
        services.introduction_make(
            actor=seir, venture=venture, contact=ContactFactory(commissioner=ben_pct), purpose="p"
        )
        services.contract_record(
            actor=seir,
            venture=venture,
            commissioner=ben_pct,
            service="S",
            value=1,
            start_date=__import__("datetime").date(2026, 1, 1),
            end_date=__import__("datetime").date(2027, 1, 1),
        )
    assert counts() == small
    with django_assert_max_num_queries(30):
        client.get(reverse("commissioning:venture_tab", args=[venture.pk]))


def test_the_team_edits_the_focus_on_the_tab_but_records_nothing_else(
    client, entrepreneur, venture, domains
):
    client.force_login(entrepreneur)
    tab = client.get(reverse("commissioning:venture_tab", args=[venture.pk]))
    assert tab.context["focus_form"] is not None
    assert "Record a contract" not in tab.content.decode()
    response = client.post(
        reverse("commissioning:focus", args=[venture.pk]), {"domains": [domains[3].pk]}
    )
    assert response.status_code == 302
    assert (
        client.get(reverse("commissioning:contract_create", args=[venture.pk])).status_code == 404
    )
    assert (
        client.get(reverse("commissioning:referral_create", args=[venture.pk])).status_code == 404
    )


def test_a_commissioner_cannot_post_the_focus(client, commissioner_user, intro, venture, domains):
    client.force_login(commissioner_user)
    response = client.post(
        reverse("commissioning:focus", args=[venture.pk]), {"domains": [domains[3].pk]}
    )
    assert response.status_code == 404


def test_past_the_cap_the_ledger_says_more_than(monkeypatch, client, seir, intro, council_intro):
    from seir import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 1)
    client.force_login(seir)

    page = client.get(reverse("commissioning:ledger")).content.decode()

    assert "More than 1 introductions. The list shows the latest 1" in page
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    assert "2 introductions." in client.get(reverse("commissioning:ledger")).content.decode()


def test_the_team_opens_its_own_introductions_and_no_other_teams(
    client, entrepreneur, intro, council_intro
):
    # given the entrepreneur on the team of `intro`'s venture (not of council_intro's)
    client.force_login(entrepreneur)

    # when they follow the Commissioning tab's link to their introduction, it opens
    response = client.get(reverse("commissioning:introduction", args=[intro.pk]))
    assert response.status_code == 200
    assert response.context["introduction"].pk == intro.pk

    # and another team's introduction, or the pipeline of every introduction, stays hidden
    assert (
        client.get(reverse("commissioning:introduction", args=[council_intro.pk])).status_code
        == 404
    )
    assert client.get(reverse("commissioning:introductions")).status_code == 404


def test_export_query_count_does_not_grow(client, seir, programme, ben_pct):
    # the queries run as the stream is read, so the count is taken around reading it
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(seir)
    _bulk(seir, programme, ben_pct, 2)
    _export_rows(client)  # warm per-process caches
    with CaptureQueriesContext(connection) as small:
        assert len(_export_rows(client)) == 3
    _bulk(seir, programme, ben_pct, 12)
    with CaptureQueriesContext(connection) as large:
        assert len(_export_rows(client)) == 15
    # pinned: as many as before the export streamed, and the same at both sizes
    assert len(small) == len(large) == 6
