from __future__ import annotations

import datetime
import json

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import dateformat
from django.utils.text import Truncator

from accounts.models import User
from accounts.roles import STAFF_ROLES
from files.validation import accept_attribute, max_upload_bytes, validate_upload
from seir.dates import EARLIEST_DAY, LATEST_DAY
from seir.forms import (
    SUBMISSION_TOKEN_FIELD,
    KeepCurrentChoicesMixin,
    LinkField,
    SubmissionTokenMixin,
)
from ventures.models import Stage, Venture

from .models import Checklist, ChecklistItem, Evidence, ItemStatus
from .selectors import active_templates
from .services.checklists import EDITABLE_FIELDS, detail_value, item_details, item_details_seen

# Dates outside this window are typing mistakes (and keep hostile years out).
EARLIEST = EARLIEST_DAY
LATEST = LATEST_DAY


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _bounded(value: datetime.date | None) -> datetime.date | None:
    if value is not None and not (EARLIEST <= value <= LATEST):
        raise ValidationError(f"Enter a date between {EARLIEST:%Y} and {LATEST:%Y}.")
    return value


def _people(venture: Venture):
    """Who may own an item: the venture's team and the programme's staff."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(venture_teams__venture=venture)
            | Q(
                programme_memberships__programme_id=venture.programme_id,
                programme_memberships__role__in=list(STAFF_ROLES),
            )
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


def _stage_choices(venture: Venture):
    stages = Stage.objects.filter(programme_id=venture.programme_id).order_by("order")
    return [("", "No stage gate"), *((s.code, s.name) for s in stages)]


class ChecklistCreateForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=active_templates(),
        required=False,
        empty_label="An empty checklist (add items yourself)",
        label="Start from",
    )


class ItemForm(KeepCurrentChoicesMixin, forms.ModelForm):
    """Adding (with a section) or editing an item, by the SEiR. An owner who has left the
    team and a stage no longer in the programme stay chosen until someone picks another."""

    new_section = forms.CharField(
        label="Or a new section",
        max_length=120,
        required=False,
        help_text="Leave blank to use the section chosen above.",
    )

    class Meta:
        model = ChecklistItem
        fields = [
            "section",
            "label",
            "guidance",
            "stage_code",
            "owner",
            "due_date",
            "validity_months",
            "expires_on",
        ]
        labels = {
            "stage_code": "Needed for the gate of",
            "validity_months": "Valid for (months)",
            "expires_on": "Expires on",
        }
        widgets = {
            "guidance": forms.Textarea(attrs={"rows": 2}),
            "due_date": DateInput(),
            "expires_on": DateInput(),
        }

    def __init__(self, *args, venture: Venture, checklist: Checklist, adding: bool, **kwargs):
        super().__init__(*args, **kwargs)
        stages = _stage_choices(venture)
        current = self.instance.stage_code
        if current and current not in dict(stages):
            stages.append((current, f"{current} (retired)"))
        self.fields["stage_code"] = forms.ChoiceField(
            choices=stages, required=False, label="Needed for the gate of"
        )
        self.fields["owner"].queryset = _people(venture)
        self.fields["owner"].empty_label = "No owner yet"
        if adding:
            sections = list(
                dict.fromkeys(
                    checklist.items.order_by("section_order", "section").values_list(
                        "section", flat=True
                    )
                )
            )
            if checklist.template_id:
                sections += [
                    s
                    for s in checklist.template.sections.values_list("name", flat=True)
                    if s not in sections
                ]
            self.fields["section"] = forms.ChoiceField(
                choices=[("", "Choose a section"), *((s, s) for s in sections)], required=False
            )
            del self.fields["expires_on"]
        else:
            del self.fields["section"]
            del self.fields["new_section"]
            # The details as this form showed them: a save from a stale page is refused.
            self.fields["seen"] = forms.CharField(
                widget=forms.HiddenInput, required=False, max_length=64
            )
            # ...and the details themselves, so a refused save can tell which ones the
            # person changed and which ones someone else changed meanwhile.
            self.fields["shown"] = forms.CharField(widget=forms.HiddenInput, required=False)
            if not self.is_bound:
                self.fields["seen"].initial = item_details_seen(self.instance)
                self.fields["shown"].initial = json.dumps(item_details(self.instance))

    def clean_due_date(self):
        return _bounded(self.cleaned_data.get("due_date"))

    def clean_expires_on(self):
        return _bounded(self.cleaned_data.get("expires_on"))

    def clean(self):
        data = super().clean()
        if "new_section" in self.fields:
            section = (data.get("new_section") or "").strip() or data.get("section")
            if not section:
                self.add_error("section", "Choose a section or name a new one.")
            data["section"] = section
        return data

    def _post_clean(self):
        # The service validates the model (with the checklist); skip ModelForm's own pass.
        pass

    def changed_values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in self.fields and name not in ("seen", "shown")
        }

    def rebase_on(self, current: ChecklistItem) -> str:
        """After a conflict: keep what the person typed; a field they left as the form
        showed it takes the value saved meanwhile (so saving again cannot quietly undo
        it); carry the saved item's fingerprint, so saving again, once they have read
        the message, is accepted. Returns the message naming what changed meanwhile."""
        shown, now = self._shown(), item_details(current)
        data = self.data.copy()
        said = []
        for name in EDITABLE_FIELDS:
            if name not in self.fields:
                continue
            typed = detail_value(name, self.cleaned_data.get(name))
            if shown is not None and shown.get(name) == now[name]:
                continue  # not changed meanwhile: what they typed stands
            saved = f"{DETAIL_NAMES[name]} is now {self._saved_display(name, current)}"
            if shown is not None and typed == shown.get(name):
                value = self.fields[name].prepare_value(getattr(current, name))
                data[self.add_prefix(name)] = "" if value is None else str(value)
                said.append(saved)
            elif typed != now[name]:
                # Both changed it (or the form did not say what it showed): theirs is in
                # the message, the person's stays in the form.
                both = "you changed it too: " if shown is not None else ""
                said.append(f"{saved} ({both}the form keeps yours)")
            elif shown is not None:
                said.append(saved)  # both made the same change
        data[self.add_prefix("seen")] = item_details_seen(current)
        data[self.add_prefix("shown")] = json.dumps(now)
        self.data = data
        what = f": {'; '.join(said)}." if said else "."
        return (
            f"Someone changed this item while you were editing it{what} Nothing was saved. "
            "Your changes are below; check them and save again."
        )

    def _shown(self) -> dict | None:
        """The details as the form showed them (None: not sent, or not readable)."""
        try:
            shown = json.loads(self.data.get(self.add_prefix("shown")) or "null")
        except (ValueError, RecursionError):
            return None
        return shown if isinstance(shown, dict) else None

    def _saved_display(self, name: str, current: ChecklistItem) -> str:
        value = getattr(current, name)
        if name == "owner":
            return value.display_name if value else "nobody"
        if name == "stage_code":
            return dict(self.fields[name].choices).get(value, value) if value else "none"
        if value is None or value == "":
            return "blank"
        if isinstance(value, datetime.date):
            return dateformat.format(value, "j M Y")
        if name == "validity_months":
            return f"{value} month{'s' if value != 1 else ''}"
        return f"“{Truncator(value).chars(80)}”"


# How each detail is named in the message after a refused save.
DETAIL_NAMES = {
    "label": "the name",
    "guidance": "the guidance",
    "stage_code": "the stage gate",
    "owner": "the owner",
    "due_date": "the due date",
    "validity_months": "the validity",
    "expires_on": "the expiry date",
}


class ItemAddForm(SubmissionTokenMixin, ItemForm):
    """Adding an item: saved once, however often the rendered form is posted."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, adding=True, **kwargs)

    def item_data(self) -> dict:
        """The service's keyword arguments (neither the new-section box nor the token)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("new_section", SUBMISSION_TOKEN_FIELD)
        }


class MoveForm(forms.Form):
    to_status = forms.ChoiceField(choices=ItemStatus.choices, widget=forms.HiddenInput)
    expected_status = forms.ChoiceField(choices=ItemStatus.choices, widget=forms.HiddenInput)
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )
    expires_on = forms.DateField(required=False, widget=DateInput(), label="Valid until")

    def clean_expires_on(self):
        return _bounded(self.cleaned_data.get("expires_on"))


def _replaceable(field: forms.ModelChoiceField, item: ChecklistItem) -> None:
    """Offer the item's current evidence; accept any of its evidence, so a choice replaced
    meanwhile (a teammate's page) reaches the service, which says by what and by whom."""
    field.queryset = item.evidence.all()
    current = item.evidence.filter(superseded_at__isnull=True).order_by("-uploaded_at", "-id")
    field.choices = [("", field.empty_label), *((e.pk, str(e)) for e in current)]


class UploadForm(forms.Form):
    prefix = "upload"
    file = forms.FileField(
        label="File",
        max_length=255,
        help_text="",
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute()}),
    )
    replaces = forms.ModelChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        label="Replaces",
        empty_label="Nothing (add alongside)",
    )

    def __init__(self, *args, item: ChecklistItem, **kwargs):
        super().__init__(*args, **kwargs)
        _replaceable(self.fields["replaces"], item)
        self.fields["file"].help_text = (
            "PDF, Word, Excel, OpenDocument, PNG, JPEG, CSV or text; at most "
            f"{filesizeformat(max_upload_bytes())}."
        )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        validate_upload(upload)
        return upload


class LinkForm(forms.Form):
    prefix = "link"
    url = LinkField(label="Web address", max_length=2000)
    title = forms.CharField(label="What it is", max_length=200, required=False)
    replaces = forms.ModelChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        label="Replaces",
        empty_label="Nothing (add alongside)",
    )

    def __init__(self, *args, item: ChecklistItem, **kwargs):
        super().__init__(*args, **kwargs)
        _replaceable(self.fields["replaces"], item)


class RemoveForm(forms.Form):
    prefix = "remove"
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label="Why remove it"
    )
