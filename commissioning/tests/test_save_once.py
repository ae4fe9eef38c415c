"""Every commissioning create form saves once, however often the rendered form is posted
(a double click, a page sent again, two tabs): a contract sent twice is one contract, so
the programme's contract count and value are counted once."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.factories import SupportProviderFactory
from commissioning.models import (
    Commissioner,
    Contact,
    Contract,
    Introduction,
    OrganisationType,
    Priority,
    ProcurementWindow,
    SupportReferral,
)
from events.models import Event
from submissions.models import SubmissionToken
from submissions.services import ALREADY_SAVED
from tests.clients import client_for, texts
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today().isoformat()


@dataclass
class Case:
    """One create page: where it is, what a person types, a typing mistake the form
    refuses (``bad``: field -> value), the rows it writes, where it then shows the row,
    and what it says."""

    url: Callable[[dict], str]
    typed: Callable[[dict], dict]
    bad: dict
    rows: Callable[[], list]
    shown_at: Callable[[dict, object], str]
    saved: Callable[[object], str]
    model: type
    event: str


CASES = {
    "contract": Case(
        url=lambda w: reverse("commissioning:contract_create", args=[w["venture"].pk]),
        typed=lambda w: {
            "commissioner": str(w["ben_pct"].pk),
            "service": "COPD rehab",
            "value": "48000.00",
            "start_date": "2026-04-01",
            "end_date": "2027-03-31",
            "status": "signed",
        },
        bad={"end_date": "2026-03-01"},
        rows=lambda: list(Contract.objects.values_list("service", "value", "status")),
        shown_at=lambda w, c: reverse("commissioning:venture_tab", args=[w["venture"].pk]),
        saved=lambda c: "Contract recorded: COPD rehab.",
        model=Contract,
        event="commissioning.contract_recorded",
    ),
    "referral": Case(
        url=lambda w: reverse("commissioning:referral_create", args=[w["venture"].pk]),
        typed=lambda w: {"provider": str(w["provider"].pk), "made_on": TODAY, "purpose": "Books"},
        bad={"made_on": "not a date"},
        rows=lambda: list(SupportReferral.objects.values_list("provider__name", "purpose")),
        shown_at=lambda w, r: reverse("commissioning:referral", args=[r.pk]),
        saved=lambda r: f"{r.venture} was referred to Fair Accounts.",
        model=SupportReferral,
        event="commissioning.referral_made",
    ),
    "introduction": Case(
        url=lambda w: reverse("commissioning:introduction_create"),
        typed=lambda w: {
            "venture": str(w["venture"].pk),
            "contact": str(w["contact"].pk),
            "priority": "",
            "made_on": TODAY,
            "purpose": "Falls prevention",
        },
        bad={"made_on": "2199-01-01"},
        rows=lambda: list(Introduction.objects.values_list("contact__name", "purpose")),
        shown_at=lambda w, i: reverse("commissioning:introduction", args=[i.pk]),
        saved=lambda i: f"{i.venture} was introduced to Claire Evans (BEN PCT).",
        model=Introduction,
        event="commissioning.introduction_made",
    ),
    "commissioner": Case(
        url=lambda w: reverse("commissioning:commissioner_create"),
        typed=lambda w: {
            "name": "Heart of Birmingham PCT",
            "organisation_type": str(OrganisationType.objects.get(code="pct-icb").pk),
            "area": "Ladywood",
        },
        bad={"name": "x" * 201},
        rows=lambda: list(
            Commissioner.objects.filter(name="Heart of Birmingham PCT").values_list("name", "area")
        ),
        shown_at=lambda w, c: c.get_absolute_url(),
        saved=lambda c: "Heart of Birmingham PCT was added.",
        model=Commissioner,
        event="commissioning.commissioner_added",
    ),
    "contact": Case(
        url=lambda w: reverse("commissioning:contact_create", args=[w["ben_pct"].pk]),
        typed=lambda w: {"name": "Jo Buyer", "role": "Buyer", "email": "jo@example.nhs.uk"},
        bad={"email": "jo at the PCT"},
        rows=lambda: list(Contact.objects.filter(name="Jo Buyer").values_list("name", "email")),
        shown_at=lambda w, c: w["ben_pct"].get_absolute_url(),
        saved=lambda c: "Jo Buyer was added.",
        model=Contact,
        event="commissioning.contact_added",
    ),
    "priority": Case(
        url=lambda w: reverse("commissioning:priority_create", args=[w["ben_pct"].pk]),
        typed=lambda w: {
            "title": "Falls",
            "domain": str(w["domains"][5].pk),
            "budget": "120000",
            "period_start": "2026-04-01",
            "period_end": "2027-03-31",
        },
        bad={"period_end": "2026-03-01"},
        rows=lambda: list(Priority.objects.filter(title="Falls").values_list("title", "budget")),
        shown_at=lambda w, p: p.get_absolute_url(),
        saved=lambda p: "The priority “Falls” was added.",
        model=Priority,
        event="commissioning.priority_added",
    ),
    "window": Case(
        url=lambda w: reverse("commissioning:window_create", args=[w["priority"].pk]),
        typed=lambda w: {"opens": "2026-05-01", "closes": "2026-06-30", "route": "tender"},
        bad={"closes": "2026-04-30"},
        rows=lambda: list(ProcurementWindow.objects.values_list("opens", "closes", "route")),
        shown_at=lambda w, _: w["priority"].get_absolute_url(),
        saved=lambda window: f"Window added: {window}.",
        model=ProcurementWindow,
        event="commissioning.window_added",
    ),
}

# What each case's rows read once saved.
SAVED_ROWS = {
    "contract": [("COPD rehab", Decimal("48000.00"), "signed")],
    "referral": [("Fair Accounts", "Books")],
    "introduction": [("Claire Evans", "Falls prevention")],
    "commissioner": [("Heart of Birmingham PCT", "Ladywood")],
    "contact": [("Jo Buyer", "jo@example.nhs.uk")],
    "priority": [("Falls", Decimal("120000.00"))],
    "window": [(datetime.date(2026, 5, 1), datetime.date(2026, 6, 30), "tender")],
}


@pytest.fixture
def world(seir, venture, ben_pct, contact, priority, domains):
    return {
        "seir": seir,
        "venture": venture,
        "ben_pct": ben_pct,
        "contact": contact,
        "priority": priority,
        "domains": domains,
        "provider": SupportProviderFactory(name="Fair Accounts"),
    }


def rendered(client, case: Case, world: dict):
    """The page's form, as a browser would send it with what the person typed."""
    page = client.get(case.url(world))
    assert page.status_code == 200
    typed = case.typed(world)
    form = page_form(page.content, containing=next(iter(typed)))
    return form, {**form.values, **typed}


@pytest.mark.parametrize("name", CASES)
def test_the_same_form_posted_twice_saves_once(world, name):
    # given: the rendered form, with its one-time token, filled in
    case = CASES[name]
    client = client_for(world["seir"])
    form, typed = rendered(client, case, world)

    # when: it is sent twice (a double click, or the page sent again)
    first = client.post(form.action or case.url(world), typed)
    second = client.post(form.action or case.url(world), typed)

    # then: one row and one event; the second answer says so and shows the same row
    assert case.rows() == SAVED_ROWS[name]
    saved = case.model.objects.latest("pk")
    where = case.shown_at(world, saved)
    assert (first.status_code, first["Location"]) == (302, where)
    assert (second.status_code, second["Location"]) == (302, where)
    assert texts(first) == [case.saved(saved)]
    assert texts(second)[-1] == ALREADY_SAVED
    assert Event.objects.filter(kind=case.event).count() == 1
    assert SubmissionToken.objects.get().target == saved
    assert typed["submission_token"]


@pytest.mark.parametrize("name", CASES)
def test_a_refused_form_keeps_what_was_typed_and_saves_nothing(world, name):
    # given: the form sent with a mistake
    case = CASES[name]
    client = client_for(world["seir"])
    form, typed = rendered(client, case, world)
    before = case.model.objects.count()

    refused = client.post(form.action or case.url(world), {**typed, **case.bad})

    # then: the page again, with what was typed and the same token, and nothing saved
    assert refused.status_code == 400
    shown = page_form(refused.content, containing=next(iter(case.typed(world))))
    kept = [*case.typed(world), "submission_token"]
    assert {k: shown.values.get(k) for k in kept} == {k: {**typed, **case.bad}[k] for k in kept}
    assert case.model.objects.count() == before
    assert not SubmissionToken.objects.exists()
    assert Event.objects.filter(kind=case.event).count() == 0

    # when: the corrected form is sent, it saves (the token was not used up)
    saved = client.post(form.action or case.url(world), {**shown.values, **case.typed(world)})
    assert saved.status_code == 302
    assert case.rows() == SAVED_ROWS[name]


def test_two_rendered_contract_forms_record_two_contracts(world):
    # given: two tabs, each with its own rendered form (two real contracts)
    case = CASES["contract"]
    client = client_for(world["seir"])
    for service in ("Rehab", "Falls"):
        form, typed = rendered(client, case, world)
        client.post(form.action or case.url(world), {**typed, "service": service})

    assert sorted(Contract.objects.values_list("service", flat=True)) == ["Falls", "Rehab"]
