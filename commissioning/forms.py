"""Forms. Bounds live here too, so hostile input gets a field error, never a 500."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from accounts.models import User
from seir.amounts import PoundsField
from seir.dates import EARLIEST_DAY, LATEST_DAY
from seir.forms import SubmissionTokenMixin
from seir.params import DB_INT_MAX

from . import permissions
from .focus_form import FocusForm  # noqa: F401  (re-exported: the tab's form lives there)
from .models import (
    CONTRACT_TRANSITIONS,
    MAX_MONEY,
    MAX_PROPOSED_DATES,
    STEP_TRANSITIONS,
    STEPS_NEEDING_DATES,
    Commissioner,
    Contact,
    ContractStatus,
    OrganisationType,
    OutcomeDomain,
    Priority,
    ProcurementRoute,
    ServiceArea,
    Step,
    SupportProvider,
    validate_contract_value,
)

EARLIEST = EARLIEST_DAY
LATEST = LATEST_DAY


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
        self.attrs.setdefault("min", EARLIEST.isoformat())
        self.attrs.setdefault("max", LATEST.isoformat())


class BoundedDateField(forms.DateField):
    widget = DateInput

    def validate(self, value):
        super().validate(value)
        if value and not (EARLIEST <= value <= LATEST):
            raise forms.ValidationError("Give a date between 2000 and 2100.")


def _text(max_length: int, **kwargs) -> forms.CharField:
    return forms.CharField(max_length=max_length, strip=True, **kwargs)


class NoNulMixin:
    """NUL characters cannot be stored by PostgreSQL: refuse them with a message."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, "Remove the invisible control character.")
        return cleaned


class IntroductionForm(SubmissionTokenMixin, NoNulMixin, forms.Form):
    venture = forms.ModelChoiceField(queryset=None)
    contact = forms.ModelChoiceField(queryset=None, label="Commissioner contact")
    priority = forms.ModelChoiceField(
        queryset=None, required=False, label="Priority it answers", empty_label="(none)"
    )
    made_on = BoundedDateField(label="Date")
    purpose = _text(2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, ventures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venture"].queryset = ventures
        self.fields["contact"].queryset = Contact.objects.filter(
            is_active=True, commissioner__is_active=True
        ).select_related("commissioner")
        self.fields["priority"].queryset = Priority.objects.filter(is_active=True).select_related(
            "commissioner"
        )
        self.fields["made_on"].initial = timezone.localdate()


class ExpectedStateMixin:
    """A hidden copy of the record's step or status as the page drew it, so the service
    refuses a submit made against a record that has moved on since (``StaleStep``).

    A bound form offers the choices of the state the page was drawn for, so what the person
    picked there is judged by the service (which tells them the record moved on), not
    refused as an unknown choice. After that refusal, ``rebase`` redraws the form against
    the record as it is now: its current state in the hidden field, the choices that state
    allows, and everything the person typed kept, so sending it again can succeed."""

    expected_field = "expected_step"
    state_attr = "step"

    def drawn_state(self, record) -> str:
        """The state the page was drawn for: the posted one when it names a state."""
        current = getattr(record, self.state_attr)
        if not self.is_bound:
            return current
        posted = self.data.get(self.add_prefix(self.expected_field))
        valid = {str(value) for value, _ in self.fields[self.expected_field].choices}
        return posted if isinstance(posted, str) and posted in valid else current

    def offer(self, state: str) -> None:
        """The choices (and the hidden state) for a record at ``state``."""
        self.fields[self.expected_field].initial = state

    def rebase(self, record) -> None:
        current = getattr(record, self.state_attr)
        self.offer(current)
        data = self.data.copy()  # a QueryDict's copy is mutable
        data[self.add_prefix(self.expected_field)] = current
        self.data = data


DATE_FIELDS = tuple(f"proposed_date_{n}" for n in range(1, MAX_PROPOSED_DATES + 1))


class ProposedDatesMixin:
    """One to MAX_PROPOSED_DATES date inputs for the meeting dates proposed with a move to
    "Meeting agreed" (plain inputs: no script needed to add a second or third date).
    ``proposed_dates()`` gives them as a list; the service says whether they are needed,
    and its refusals (named ``proposed_dates``) show beside the first input
    (``views.common.apply_refusal``)."""

    def add_date_fields(self, *, help_text: str) -> None:
        for n, name in enumerate(DATE_FIELDS, start=1):
            self.fields[name] = BoundedDateField(
                required=False,
                label=f"Proposed meeting date {n}" + ("" if n == 1 else " (optional)"),
                help_text=help_text if n == 1 else "",
            )

    def proposed_dates(self) -> list[datetime.date]:
        return [self.cleaned_data[n] for n in DATE_FIELDS if self.cleaned_data.get(n)]


class StepForm(ProposedDatesMixin, ExpectedStateMixin, NoNulMixin, forms.Form):
    to_step = forms.ChoiceField(label="Next step")
    on = BoundedDateField(label="Date it happened")
    note = _text(2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expected_step = forms.ChoiceField(choices=Step.choices, widget=forms.HiddenInput)

    def __init__(self, *args, referral, proposes_dates: bool = False, **kwargs):
        """``proposes_dates``: the referral keeps meeting dates (an introduction)."""
        super().__init__(*args, **kwargs)
        self.proposes_dates = proposes_dates
        self.offer(self.drawn_state(referral))
        self.fields["on"].initial = timezone.localdate()

    def offer(self, state: str) -> None:
        super().offer(state)
        steps = STEP_TRANSITIONS.targets(state)
        self.fields["to_step"].choices = [(s, Step(s).label) for s in steps]
        if self.proposes_dates and STEPS_NEEDING_DATES.intersection(steps):
            self.add_date_fields(help_text="Needed for “Meeting agreed”: the dates proposed.")
        else:
            for name in DATE_FIELDS:
                self.fields.pop(name, None)

    def proposed_dates(self) -> list[datetime.date]:
        return super().proposed_dates() if DATE_FIELDS[0] in self.fields else []


class RespondForm(ProposedDatesMixin, ExpectedStateMixin, NoNulMixin, forms.Form):
    """The addressed commissioner's answer: agree a meeting (proposing one or more dates),
    or decline with a reason.

    Only the answers ``permissions.commissioner_answers`` allows from the step the page was
    drawn for are offered (requested or introduced: both), so an offered answer is one the
    service accepts."""

    AGREE, DECLINE = "agree", "decline"
    # Each answer is a move to a step; the label is how the commissioner reads that move.
    ANSWERS = {
        AGREE: (Step.MEETING_AGREED, "Agree a meeting"),
        DECLINE: (Step.DECLINED, "Decline"),
    }

    answer = forms.ChoiceField(widget=forms.RadioSelect)
    reason = _text(
        2000,
        required=False,
        label="Message or reason",
        help_text="Needed when you decline.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expected_step = forms.ChoiceField(choices=Step.choices, widget=forms.HiddenInput)

    def __init__(self, *args, introduction, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.introduction, self.user = introduction, user
        # The answer first, then the dates it needs, then the message.
        self.order_fields(["answer", *DATE_FIELDS, "reason"])
        self.offer(self.drawn_state(introduction))

    def offer(self, state: str) -> None:
        super().offer(state)
        allowed = permissions.commissioner_answers(self.user, self.introduction, state)
        choices = [(a, label) for a, (step, label) in self.ANSWERS.items() if step in allowed]
        self.fields["answer"].choices = choices
        if any(step in STEPS_NEEDING_DATES for step in allowed):
            if DATE_FIELDS[0] not in self.fields:
                self.add_date_fields(help_text="Needed when you agree a meeting.")
                self.order_fields(["answer", *DATE_FIELDS, "reason"])
        else:
            for name in DATE_FIELDS:
                self.fields.pop(name, None)

    def clean(self):
        cleaned = super().clean()
        to_step = self.ANSWERS.get(cleaned.get("answer"), (None,))[0]
        if to_step == Step.DECLINED and not cleaned.get("reason"):
            self.add_error("reason", "Give a reason when you decline.")
        if to_step in STEPS_NEEDING_DATES and not self.proposed_dates():
            if not self.has_error(DATE_FIELDS[0]):
                self.add_error(DATE_FIELDS[0], "Propose at least one date for the meeting.")
        return cleaned

    def proposed_dates(self) -> list[datetime.date]:
        if self.ANSWERS.get(self.cleaned_data.get("answer"), (None,))[0] != Step.MEETING_AGREED:
            return []  # dates typed before choosing "Decline" are not sent with it
        return super().proposed_dates()

    def to_step(self) -> str:
        return self.ANSWERS[self.cleaned_data["answer"]][0]


class ContractForm(SubmissionTokenMixin, NoNulMixin, forms.Form):
    commissioner = forms.ModelChoiceField(queryset=Commissioner.objects.filter(is_active=True))
    service = _text(200)
    # No min_value: a value below £0 gets the same one message as £0, not Django's as well.
    value = PoundsField(
        label="Value (£)",
        max_digits=11,
        decimal_places=2,
        max_value=MAX_MONEY,
        validators=[validate_contract_value],
    )
    start_date = BoundedDateField()
    end_date = BoundedDateField()
    status = forms.ChoiceField(choices=ContractStatus.choices, initial=ContractStatus.NEGOTIATING)
    introduction = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=DB_INT_MAX
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", "The end date must be after the start date.")
        return cleaned


class ContractStatusForm(ExpectedStateMixin, NoNulMixin, forms.Form):
    to_status = forms.ChoiceField(label="New status")
    note = _text(2000, required=False)
    expected_status = forms.ChoiceField(choices=ContractStatus.choices, widget=forms.HiddenInput)

    expected_field = "expected_status"
    state_attr = "status"

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer(self.drawn_state(contract))

    def offer(self, state: str) -> None:
        super().offer(state)
        statuses = CONTRACT_TRANSITIONS.targets(state)
        self.fields["to_status"].choices = [(s, ContractStatus(s).label) for s in statuses]


class SupportReferralForm(SubmissionTokenMixin, NoNulMixin, forms.Form):
    provider = forms.ModelChoiceField(
        queryset=SupportProvider.objects.filter(is_active=True).select_related("support_type")
    )
    made_on = BoundedDateField(label="Date")
    purpose = _text(2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["made_on"].initial = timezone.localdate()


class CommissionerForm(SubmissionTokenMixin, NoNulMixin, forms.Form):
    name = _text(200)
    organisation_type = forms.ModelChoiceField(
        queryset=OrganisationType.objects.filter(is_active=True)
    )
    service_areas = forms.ModelMultipleChoiceField(
        queryset=ServiceArea.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    area = _text(200, required=False)
    notes = _text(5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ContactForm(SubmissionTokenMixin, NoNulMixin, forms.Form):
    name = _text(200)
    role = _text(200, required=False)
    email = forms.EmailField(required=False, max_length=254)
    phone = _text(40, required=False)
    user = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        label="User account",
        help_text="Lets this person sign in and answer introductions addressed to them.",
    )


class PriorityForm(SubmissionTokenMixin, NoNulMixin, forms.Form):
    title = _text(200)
    description = _text(5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    domain = forms.ModelChoiceField(
        queryset=OutcomeDomain.objects.filter(is_active=True), label="Outcomes Framework domain"
    )
    service_area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.filter(is_active=True), required=False
    )
    budget = PoundsField(
        label="Indicative budget (£)",
        max_digits=11,
        decimal_places=2,
        min_value=0,
        max_value=MAX_MONEY,
        required=False,
    )
    period_start = BoundedDateField()
    period_end = BoundedDateField()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", "The period must end after it starts.")
        return cleaned


class WindowForm(SubmissionTokenMixin, NoNulMixin, forms.Form):
    opens = BoundedDateField()
    closes = BoundedDateField()
    route = forms.ChoiceField(choices=ProcurementRoute.choices)
    notes = _text(300, required=False)

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and closes < opens:
            self.add_error("closes", "A window cannot close before it opens.")
        return cleaned
