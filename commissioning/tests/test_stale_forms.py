"""A refusal because the record moved on since the page was drawn redraws the form against
the record as it is now: its current step or status in the hidden field, the page showing
that state, what the person typed kept, so sending the redrawn form again succeeds."""

from __future__ import annotations

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from commissioning import selectors, services
from commissioning.factories import SupportProviderFactory
from commissioning.models import Contract, Introduction, SupportReferral
from events.models import Event

pytestmark = pytest.mark.django_db


class _FormReader(HTMLParser):
    """The values a browser would send for the form posting to ``action``."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.values = action, False, {}
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action", "") == self.action
        if not self.inside:
            return
        if tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("radio", "checkbox") and "checked" not in a:
                return
            self.values[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[self._textarea] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select:
            if "selected" in a or self._select not in self.values:
                self.values[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":  # a browser drops the newline right after <textarea>
            value = self.values[self._textarea]
            self.values[self._textarea] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def form_values(response, action: str) -> dict:
    reader = _FormReader(action)
    reader.feed(response.content.decode())
    return reader.values


def moved_events() -> int:
    return Event.objects.filter(kind__endswith="_moved").count()


@pytest.fixture
def intro(seir, venture, contact, days_ago):
    return services.introduction_make(
        actor=seir, venture=venture, contact=contact, purpose="Falls", made_on=days_ago(3)
    )


def test_the_seirs_stale_step_form_is_redrawn_at_the_current_step(
    client, seir, commissioner_user, intro
):
    # given the SEiR's page was drawn at "requested", then it was recorded as introduced
    # (from another tab)
    client.force_login(seir)
    url = reverse("commissioning:introduction_step", args=[intro.pk])
    drawn = form_values(client.get(reverse("commissioning:introduction", args=[intro.pk])), url)
    assert drawn["expected_step"] == "requested"
    services.referral_move(actor=seir, referral=intro, to_step="introduced")
    events_before = moved_events()

    # when the SEiR sends the form drawn before that
    response = client.post(
        url, {**drawn, "to_step": "no_response", "note": "Chased twice, no reply."}
    )

    # then it is refused with the reason, and nothing changed
    assert response.status_code == 400
    assert response.context["step_form"].non_field_errors() == [
        "It has moved to “Introduced” since you loaded the page. Check the history, then try again."
    ]
    intro.refresh_from_db()
    assert (intro.step, intro.steps.count(), moved_events()) == ("introduced", 2, events_before)
    # the page shows the current step, and the redrawn form carries it and what was typed
    page = response.content.decode()
    assert '<span class="badge text-bg-primary" id="current-step">Introduced</span>' in page
    redrawn = form_values(response, url)
    assert redrawn["expected_step"] == "introduced"
    assert redrawn["note"] == "Chased twice, no reply."
    assert [c for c, _ in response.context["step_form"].fields["to_step"].choices] == [
        "meeting_agreed",
        "meeting_held",
        "declined",
        "no_response",
    ]

    # when the SEiR sends the redrawn form, then it is recorded
    response = client.post(url, {**redrawn, "to_step": "no_response"})
    assert response.status_code == 302
    intro.refresh_from_db()
    assert intro.step == "no_response"
    assert intro.steps.last().note == "Chased twice, no reply."


def test_a_step_offered_on_the_old_page_gets_the_stale_message_not_an_unknown_choice(
    client, seir, commissioner_user, intro
):
    # given it was recorded as introduced while the SEiR's page still offered "Introduced"
    services.referral_move(actor=seir, referral=intro, to_step="introduced")
    client.force_login(seir)
    url = reverse("commissioning:introduction_step", args=[intro.pk])
    on = intro.step_on.isoformat()
    data = {"to_step": "introduced", "on": on, "note": "Emailed", "expected_step": "requested"}

    response = client.post(url, data)

    assert response.status_code == 400
    form = response.context["step_form"]
    assert form.errors == {
        "__all__": [
            "It has moved to “Introduced” since you loaded the page. "
            "Check the history, then try again."
        ]
    }
    assert form_values(response, url)["expected_step"] == "introduced"
    intro.refresh_from_db()
    assert (intro.step, intro.steps.count()) == ("introduced", 2)


def test_the_commissioners_stale_response_is_redrawn_at_the_current_step(
    client, seir, commissioner_user, intro
):
    # given the commissioner's page was drawn at "requested", then the SEiR recorded
    # the introduction as made
    client.force_login(commissioner_user)
    url = reverse("commissioning:introduction_respond", args=[intro.pk])
    drawn = form_values(client.get(reverse("commissioning:introduction", args=[intro.pk])), url)
    assert drawn["expected_step"] == "requested"
    services.referral_move(actor=seir, referral=intro, to_step="introduced")
    events_before = moved_events()

    # when the commissioner declines on that page
    response = client.post(url, {**drawn, "answer": "decline", "reason": "No budget this year."})

    # then it is refused, nothing changed, and the redrawn form is at the current step
    assert response.status_code == 400
    assert response.context["respond_form"].non_field_errors() == [
        "It has moved to “Introduced” since you loaded the page. Check the history, then try again."
    ]
    intro.refresh_from_db()
    assert (intro.step, intro.steps.count(), moved_events()) == ("introduced", 2, events_before)
    assert '<span class="badge text-bg-primary" id="current-step">Introduced</span>' in (
        response.content.decode()
    )
    redrawn = form_values(response, url)
    assert redrawn == {
        "csrfmiddlewaretoken": redrawn["csrfmiddlewaretoken"],
        "answer": "decline",
        "proposed_date_1": "",
        "proposed_date_2": "",
        "proposed_date_3": "",
        "reason": "No budget this year.",
        "expected_step": "introduced",
    }

    # when the commissioner sends the redrawn form, then the decline is recorded
    assert client.post(url, redrawn).status_code == 302
    intro.refresh_from_db()
    assert intro.step == "declined"
    assert intro.steps.last().note == "No budget this year."


def _contract(seir, venture, ben_pct) -> Contract:
    return services.contract_record(
        actor=seir,
        venture=venture,
        commissioner=ben_pct,
        service="COPD rehabilitation",
        value=Decimal("48000.00"),
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2027, 3, 31),
    )


def test_a_stale_contract_status_form_is_redrawn_at_the_current_status(
    client, seir, venture, ben_pct
):
    # given the page was drawn with the contract negotiating, then it was signed elsewhere
    contract = _contract(seir, venture, ben_pct)
    client.force_login(seir)
    url = reverse("commissioning:contract", args=[contract.pk])
    drawn = form_values(client.get(url), "")
    assert drawn["expected_status"] == "negotiating"
    services.contract_set_status(actor=seir, contract=contract, to_status="signed")

    # when the SEiR ends it from the old page
    response = client.post(url, {**drawn, "to_status": "ended", "note": "Budget withdrawn"})

    # then it is refused, nothing changed, and the redrawn form is at the current status
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "The contract is “Signed” since you loaded the page. Check it, then try again."
    ]
    contract.refresh_from_db()
    assert (contract.status, len(selectors.contract_history(contract=contract))) == ("signed", 2)
    assert '<span class="badge text-bg-primary" id="contract-status">Signed</span>' in (
        response.content.decode()
    )
    redrawn = form_values(response, "")
    assert (redrawn["expected_status"], redrawn["note"]) == ("signed", "Budget withdrawn")
    assert [c for c, _ in response.context["form"].fields["to_status"].choices] == [
        "live",
        "ended",
    ]

    # when the SEiR sends the redrawn form, then it is recorded
    assert client.post(url, {**redrawn, "to_status": "ended"}).status_code == 302
    contract.refresh_from_db()
    assert contract.status == "ended"
    assert selectors.contract_history(contract=contract)[-1].note == "Budget withdrawn"


def test_a_contract_ended_meanwhile_tells_the_refusal_without_a_form(
    client, seir, venture, ben_pct
):
    contract = _contract(seir, venture, ben_pct)
    services.contract_set_status(actor=seir, contract=contract, to_status="ended")
    client.force_login(seir)
    url = reverse("commissioning:contract", args=[contract.pk])

    response = client.post(
        url, {"to_status": "signed", "note": "x", "expected_status": "negotiating"}
    )

    assert response.status_code == 400
    assert response.context["form"] is None
    assert [str(m) for m in response.context["messages"]] == [
        "The contract is “Ended” since you loaded the page. Check it, then try again."
    ]
    contract.refresh_from_db()
    assert (contract.status, len(selectors.contract_history(contract=contract))) == ("ended", 2)


def test_a_stale_support_referral_form_is_redrawn_at_the_current_step(client, seir, venture):
    # given the page was drawn at "requested", then the referral was recorded as made
    referral = services.support_referral_make(
        actor=seir, venture=venture, provider=SupportProviderFactory(), purpose="Legal structure"
    )
    client.force_login(seir)
    url = reverse("commissioning:referral", args=[referral.pk])
    drawn = form_values(client.get(url), "")
    assert drawn["expected_step"] == "requested"
    services.referral_move(actor=seir, referral=referral, to_step="introduced")

    # when the SEiR records a decline from the old page
    response = client.post(url, {**drawn, "to_step": "declined", "note": "Not their field"})

    # then it is refused, nothing changed, and the redrawn form is at the current step
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "It has moved to “Introduced” since you loaded the page. Check the history, then try again."
    ]
    referral = SupportReferral.objects.get(pk=referral.pk)
    assert (referral.step, len(selectors.referral_history(referral=referral))) == (
        "introduced",
        2,
    )
    assert response.context["referral"].step == "introduced"
    redrawn = form_values(response, "")
    assert (redrawn["expected_step"], redrawn["note"]) == ("introduced", "Not their field")

    # when the SEiR sends the redrawn form, then it is recorded
    assert client.post(url, {**redrawn, "to_step": "declined"}).status_code == 302
    referral.refresh_from_db()
    assert referral.step == "declined"


def test_an_introduction_closed_meanwhile_tells_the_refusal_without_a_form(
    client, seir, commissioner_user, intro
):
    services.referral_move(
        actor=commissioner_user, referral=intro, to_step="declined", note="No budget"
    )
    client.force_login(seir)
    url = reverse("commissioning:introduction_step", args=[intro.pk])
    data = {"to_step": "introduced", "on": intro.made_on.isoformat(), "expected_step": "requested"}

    response = client.post(url, data)

    assert response.status_code == 400
    assert response.context["step_form"] is None
    assert [str(m) for m in response.context["messages"]] == [
        "It has moved to “Declined” since you loaded the page. Check the history, then try again."
    ]
    assert Introduction.objects.get(pk=intro.pk).steps.count() == 2
