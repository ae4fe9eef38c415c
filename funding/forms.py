from crispy_forms.helper import FormHelper
from django import forms
from django.template.defaultfilters import filesizeformat

from files.validation import accept_attribute, max_upload_bytes, validate_upload
from seir import refcache
from seir.amounts import PoundsField
from seir.dates import EARLIEST_DAY, LATEST_DAY
from seir.forms import SUBMISSION_TOKEN_FIELD, SubmissionTokenMixin

from .models import MAX_AMOUNT, ApplicationStatus, Fund, FundingApplication


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def active_fund_choices() -> list[tuple[int, str]]:
    """The active funds as a new application's fund select offers them, in order."""

    def build() -> list[tuple[int, str]]:
        return [(fund.pk, str(fund)) for fund in Fund.objects.filter(is_active=True)]

    return refcache.cached("funding:fund-choices", build, in_process=True)


class ApplicationForm(forms.ModelForm):
    """Add or edit an application. A fund that has since been retired stays selected
    (marked retired) until the person picks another; ``version`` is the optimistic lock."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FundingApplication
        fields = [
            "fund",
            "funding_type",
            "purpose",
            "amount_requested",
            "deadline",
            "notes",
            "documents",
        ]
        labels = {"amount_requested": "Amount requested (£)"}
        field_classes = {"amount_requested": PoundsField}
        widgets = {
            "deadline": forms.DateInput(
                attrs={"type": "date", "min": f"{EARLIEST_DAY}", "max": f"{LATEST_DAY}"}
            ),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "documents": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, terms_editable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        funds = Fund.objects.filter(is_active=True)
        if self.instance.pk:
            funds = Fund.objects.filter(pk=self.instance.fund_id) | funds
            if not self.is_bound:
                self.fields["version"].initial = self.instance.version
        self.fields["fund"].queryset = funds.order_by("order", "name")
        self.fields["fund"].empty_label = "Choose a fund"
        self.fields["funding_type"].required = False
        self.fields["funding_type"].help_text = "Leave as the fund's usual type if unsure."
        if not terms_editable:
            for name in ("fund", "funding_type", "purpose", "amount_requested", "deadline"):
                self.fields[name].disabled = True
        self.helper = _helper()

    def offered_choices(self) -> dict[str, list[tuple[int, str]]]:
        """What the fund select offers a new application, drawn from here (plain_form):
        the active funds, reference data cached until a fund next changes
        (seir.refcache). An application's own form also offers its current fund, so it
        reads them from the database; a submitted fund is always checked there."""
        if self.instance.pk:
            return {}
        return {"fund": active_fund_choices()}

    def changed_values(self) -> dict:
        """Only what the person changed (a field they left alone is never written)."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name != "version" and not self.fields[name].disabled
        }

    def _post_clean(self):
        # The service validates and saves; the form must not touch the instance.
        pass


class ApplicationCreateForm(SubmissionTokenMixin, ApplicationForm):
    """Adding an application: saved once, however often the rendered form is posted."""

    def application_data(self) -> dict:
        """The service's keyword arguments (neither the lock nor the token)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("version", SUBMISSION_TOKEN_FIELD)
        }


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label="New status")
    on = forms.DateField(
        label="Date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When it happened (today if left blank).",
    )
    amount_awarded = PoundsField(
        label="Amount awarded (£)",
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=0.01,
        max_value=MAX_AMOUNT,
        help_text="Only for an award.",
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, application, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        # Any status validates, so the service can explain a move it refuses (e.g. from a
        # stale page); only the allowed ones are offered.
        self.fields["to_status"].choices = ApplicationStatus.choices
        self.fields["to_status"].widget.choices = [
            (s, ApplicationStatus(s).label) for s in statuses
        ]
        self.fields["expected_status"].initial = application.status
        self.helper = _helper()

    def rebase_on(self, application) -> None:
        """After a refusal because the status changed meanwhile, keep what the person
        typed but expect the status now shown, so sending it again is a deliberate
        choice made having seen the change."""
        data = self.data.copy()
        data[self.add_prefix("expected_status")] = application.status
        self.data = data


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Document",
        max_length=255,
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute()}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "PDF, Word, Excel, OpenDocument, PNG, JPEG, CSV or text; at most "
            f"{filesizeformat(max_upload_bytes())}."
        )
        self.helper = _helper()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        validate_upload(upload)
        return upload
