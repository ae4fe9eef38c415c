from decimal import Decimal, InvalidOperation

from crispy_forms.helper import FormHelper
from django import forms

from seir import refcache
from seir.amounts import AmountField
from seir.forms import SubmissionTokenMixin

from .models import Indicator, Measurement, OutcomeDomain


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def active_domain_choices() -> list[tuple[int, str]]:
    """The active Outcomes Framework domains as a new indicator's select offers them."""

    def build() -> list[tuple[int, str]]:
        return [(domain.pk, str(domain)) for domain in OutcomeDomain.objects.filter(is_active=True)]

    return refcache.cached("outcomes:domain-choices", build, in_process=True)


class IndicatorForm(SubmissionTokenMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "domain",
            "unit",
            "baseline",
            "target",
            "direction",
            "description",
            "shared_with_commissioners",
        ]
        field_classes = {"baseline": AmountField, "target": AmountField}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = OutcomeDomain.objects.filter(is_active=True)
        self.fields["domain"].empty_label = "Choose a domain"
        self.helper = _helper()

    def offered_choices(self) -> dict[str, list[tuple[int, str]]]:
        """What the domain select offers (plain_form draws it from here): the active
        domains, reference data cached until one next changes (seir.refcache); a
        submitted domain is still checked against the database by the field."""
        return {"domain": active_domain_choices()}

    def _post_clean(self):
        pass  # the service validates and saves


class SharingForm(forms.Form):
    """An indicator's choice to share it with the commissioners the venture is introduced to."""

    shared = forms.BooleanField(
        label="Share with commissioners we are introduced to", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class MeasurementForm(SubmissionTokenMixin, forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["measured_on", "value", "note"]
        field_classes = {"value": AmountField}
        widgets = {"measured_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def _post_clean(self):
        pass


class CorrectionForm(forms.ModelForm):
    # The value and note as the page showed them: a correction from a stale page is
    # refused instead of quietly replacing someone else's newer correction.
    was_value = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)
    was_note = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)

    class Meta:
        model = Measurement
        fields = ["value", "note"]
        field_classes = {"value": AmountField}
        widgets = {
            "value": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "note": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        }

    def _post_clean(self):
        pass

    def clean_was_value(self) -> Decimal | None:
        """Unreadable (a damaged page) reads as not known: the check is then skipped."""
        try:
            value = Decimal(self.cleaned_data.get("was_value") or "")
        except InvalidOperation:
            return None
        return value if value.is_finite() else None

    def rebase_on(self, current: Measurement) -> None:
        """After a refusal because the measurement changed meanwhile, keep what the person
        typed but expect what is now saved, so sending it again is a deliberate choice."""
        data = self.data.copy()
        data[self.add_prefix("was_value")] = str(current.value)
        data[self.add_prefix("was_note")] = current.note
        self.data = data
