"""Forms for scouting. They validate input; the services decide and write."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from accounts.models import Programme
from seir.forms import (
    SUBMISSION_TOKEN_FIELD,
    KeepCurrentChoicesMixin,
    LinkField,
    SubmissionTokenMixin,
)
from seir.params import DB_INT_MAX, bounded_pk

from .models import (
    IDEA_TRANSITIONS,
    Idea,
    IdeaStatus,
    MeetingType,
    Organisation,
    Person,
    Tag,
)
from .services import COLUMNS


def _pk_or_refuse(value):
    """An id in range before it reaches a query (``seir.params.bounded_pk``); anything
    else is the field's own "Select a valid choice."."""
    if value in (None, ""):
        return value
    pk = bounded_pk(value)
    if pk is None:
        raise forms.ValidationError("Select a valid choice.", code="invalid_choice")
    return pk


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        return super().to_python(_pk_or_refuse(value))


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        if value:
            value = [_pk_or_refuse(v) for v in value]
        return super().clean(value)


class _Crispy:
    def _crispy(self):
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class _SeenAt:
    """An edit form carries when its record was last saved as it was shown
    (``seen_at``), so the service can refuse to put back what someone else saved since."""

    def _seen_at(self):
        if not self.instance.pk:
            del self.fields["seen_at"]
        elif not self.is_bound:
            self.fields["seen_at"].initial = self.instance.updated_at.isoformat()

    def seen_at(self) -> str | None:
        """What the page sent (None from a page made before edit forms carried it)."""
        return self.cleaned_data.get("seen_at") or None

    def rebase(self, current) -> None:
        """Sent again from the page now shown, the form saves over ``current``."""
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_at")] = current.updated_at.isoformat()


def _seen_at_field() -> forms.CharField:
    return forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


def _programme_field(form, programmes):
    """A programme choice when the user runs several; hidden (and fixed) with one."""
    field = form.fields["programme"]
    field.queryset = Programme.objects.filter(pk__in=[p.pk for p in programmes])
    field.empty_label = None
    if len(programmes) == 1:
        field.initial = programmes[0].pk
        field.widget = forms.HiddenInput()


class OrganisationForm(_SeenAt, _Crispy, forms.ModelForm):
    website = LinkField(max_length=300, required=False)
    seen_at = _seen_at_field()

    class Meta:
        model = Organisation
        fields = ["programme", "name", "sector", "area", "website"]
        field_classes = {"programme": BoundedModelChoiceField}

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["programme"]
        else:
            _programme_field(self, programmes)
        self._seen_at()
        self._crispy()

    def _post_clean(self):
        pass  # the service validates and saves


class OrganisationCreateForm(SubmissionTokenMixin, OrganisationForm):
    """Adding an organisation: saved once, however often the rendered form is posted."""


class PersonForm(_SeenAt, _Crispy, KeepCurrentChoicesMixin, forms.ModelForm):
    """A tag retired since it was given stays ticked (marked retired) until someone
    unticks it; it is not offered to anyone else (``KeepCurrentChoicesMixin``)."""

    different_person = forms.BooleanField(
        required=False,
        label="This is a different person from the possible duplicates listed",
    )
    seen_at = _seen_at_field()

    class Meta:
        model = Person
        fields = [
            "programme",
            "name",
            "organisation",
            "job_title",
            "email",
            "phone",
            "tags",
            "consent_to_contact",
            "consent_date",
            "notes",
        ]
        field_classes = {
            "programme": BoundedModelChoiceField,
            "organisation": BoundedModelChoiceField,
            "tags": BoundedModelMultipleChoiceField,
        }
        widgets = {
            "tags": forms.CheckboxSelectMultiple,
            "consent_date": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["programme"]
            scope = [self.instance.programme_id]
        else:
            _programme_field(self, programmes)
            scope = [p.pk for p in programmes]
        self.fields["organisation"].queryset = Organisation.objects.filter(
            programme_id__in=scope
        ).order_by("name")
        self.fields["organisation"].empty_label = "No organisation"
        self.fields["tags"].queryset = Tag.objects.filter(is_active=True)
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self._seen_at()
        self._crispy()

    def _post_clean(self):
        pass


class PersonCreateForm(SubmissionTokenMixin, PersonForm):
    """Adding a person: saved once, however often the rendered form is posted."""


class MergeForm(forms.Form):
    other = forms.IntegerField(min_value=1, max_value=DB_INT_MAX, widget=forms.HiddenInput)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


# What the meeting form called its one-time token before it used the shared one. A page
# rendered, or a draft saved on a device, before then still sends it: the same uuid4 (in
# hex), carried over to the shared tokens by scouting's migration 0005.
LEGACY_TOKEN_FIELD = "submission_key"  # noqa: S105 (a field name, not a secret)


class _MeetingFields(_Crispy, forms.Form):
    """The meeting's own fields and their rules, as logged and as corrected."""

    offers_early = False  # the edit form's box keeping follow-ups due before the meeting

    held_at = forms.DateTimeField(label="Date and time", widget=DateTimeLocalInput())
    meeting_type = forms.ChoiceField(label="Type", choices=MeetingType.choices)
    location = forms.CharField(max_length=200, required=False)
    organisations = BoundedModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Organisations represented",
        help_text="Attendees' organisations are added for you.",
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=20_000
    )

    def _organisations_of(self, programmes) -> None:
        self.fields["organisations"].queryset = Organisation.objects.filter(
            programme__in=programmes
        ).order_by("name")

    def clean_held_at(self):
        value = self.cleaned_data["held_at"]
        if value > timezone.now() + datetime.timedelta(days=366):
            raise forms.ValidationError("That date is more than a year ahead.")
        if value.year < 2000:
            raise forms.ValidationError("That date is too far in the past.")
        return value


class MeetingForm(SubmissionTokenMixin, _MeetingFields):
    """The meeting's own fields; attendee ids are read by the view, the repeated rows
    (ideas, talent, follow-ups) by ``scouting.meeting_forms.MeetingRows``. Saved once
    per rendered form (``submission_token``), however often it is sent."""

    programme = BoundedModelChoiceField(queryset=None)
    field_order = ["programme", "held_at", "meeting_type", "location", "organisations", "notes"]

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        _programme_field(self, programmes)
        self._organisations_of(programmes)
        if not self.is_bound:
            self.fields["held_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        elif not self.data.get(SUBMISSION_TOKEN_FIELD) and self.data.get(LEGACY_TOKEN_FIELD):
            self.data = self.data.copy()
            self.data[SUBMISSION_TOKEN_FIELD] = self.data[LEGACY_TOKEN_FIELD]
        self._crispy()

    def meeting_day(self) -> datetime.date | None:
        """The day the meeting was held, once the meeting's own fields are valid: a
        follow-up due before it needs confirming."""
        if not self.is_valid():
            return None
        return timezone.localtime(self.cleaned_data["held_at"]).date()


class IdeaForm(_SeenAt, _Crispy, forms.ModelForm):
    seen_at = _seen_at_field()

    class Meta:
        model = Idea
        fields = ["programme", "title", "description", "health_need"]
        field_classes = {"programme": BoundedModelChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "health_need": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["programme"]
        else:
            _programme_field(self, programmes)
        self._seen_at()
        self._crispy()

    def _post_clean(self):
        pass


class IdeaCreateForm(SubmissionTokenMixin, IdeaForm):
    """Adding an idea: saved once, however often the rendered form is posted."""


class IdeaStatusForm(_Crispy, forms.Form):
    to_status = forms.ChoiceField(label="New status")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=20_000,
        help_text="Needed to park or reject an idea.",
    )

    def __init__(self, *args, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (s, IdeaStatus(s).label) for s in IDEA_TRANSITIONS.targets(idea.status)
        ]
        self._crispy()


class ImportForm(_Crispy, forms.Form):
    programme = BoundedModelChoiceField(queryset=None)
    kind = forms.ChoiceField(
        label="The file holds",
        choices=[("people", "People"), ("organisations", "Organisations")],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label="CSV file",
        required=False,
        help_text="UTF-8 CSV, up to 1 MB. People: "
        + ", ".join(COLUMNS["people"])
        + ". Organisations: "
        + ", ".join(COLUMNS["organisations"])
        + ".",
    )
    text = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1_100_000)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        _programme_field(self, programmes)
        self._crispy()

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > 1_000_000:
                raise forms.ValidationError("The file is larger than 1 MB; split it.")
            raw = upload.read()
            try:
                data["text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    "The file is not UTF-8 text: save it as “CSV UTF-8” and try again."
                ) from None
        elif not data.get("text"):
            raise forms.ValidationError("Choose a CSV file.")
        return data
