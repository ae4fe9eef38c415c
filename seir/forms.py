"""What every form of the project shares.

``BaseModelForm`` is the one place that makes a save change only what the person
changed:

- a choice field whose queryset a form narrows (active legal forms, the programme's
  SEiRs) still offers the record's *current* value, labelled "(retired)", "(inactive)"
  or "(current)", so a value that is no longer offered stays selected and is saved
  unchanged until the person picks another;
- ``changed_data_dict()`` holds only the model fields the person changed, and never a
  field the request did not carry at all.

``SubmissionTokenMixin`` gives a create form a one-time token, so a second POST of the
same rendered form (a double click, a resubmitted page) saves nothing twice.

``LinkField`` is every form's web address: one too long is told its length, and only that.
"""

from __future__ import annotations

import uuid
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.db.models import Q


def apply_form_errors(form, error: ValidationError) -> None:
    """Show a service's refusal beside the field it names, or above the form: the one
    way every view turns a ValidationError from a service into form errors. A hidden
    field shows no errors of its own, so its errors go above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            shown = name in form.fields and not form.fields[name].widget.is_hidden
            form.add_error(name if shown else None, errors)
    else:
        form.add_error(None, error.messages)


def crispy_helper() -> FormHelper:
    """Crispy renders the fields only: templates write the <form> tag and the CSRF token."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class CrispyMixin:
    def _crispy(self) -> None:
        self.helper = crispy_helper()


def _pk_of(value: Any, to_field: str | None) -> Any:
    if hasattr(value, "_meta"):
        return getattr(value, to_field or "pk")
    return value


def inactive_label(obj, label: str) -> str:
    """``label``, marked "(retired)" (reference data) or "(inactive)" (a person) when
    ``obj`` is no longer active: how a kept choice, or a filter's old value, reads."""
    if getattr(obj, "is_active", True) is False:
        state = "inactive" if isinstance(obj, AbstractBaseUser) else "retired"
        return f"{label} ({state})"
    return label


class MarkedModelChoiceField(forms.ModelChoiceField):
    """A filter's choice of reference data that offers retired values too (old records
    can still be found), marked as such."""

    def label_from_instance(self, obj) -> str:
        return inactive_label(obj, super().label_from_instance(obj))


class KeepCurrentChoicesMixin:
    """Model choice fields always offer the value the record holds now.

    Runs lazily, the first time a bound field is used (rendering or validation), so it
    sees the queryset as the subclass left it at the end of its ``__init__``; if the
    queryset is replaced later it runs again for that field.
    """

    def __getitem__(self, name):
        self._keep_current_choices()
        return super().__getitem__(name)

    def kept_choice_label(self, obj, label: str) -> str:
        """How a current value that is no longer offered reads in the list."""
        marked = inactive_label(obj, label)
        return marked if marked != label else f"{label} (current)"

    def _current_pks(self, name: str, field) -> list:
        instance = getattr(self, "instance", None)
        if instance is None or instance._state.adding or name not in self.initial:
            return []
        value = self.initial[name]
        values = value if isinstance(value, (list, tuple, set)) else [value]
        return [_pk_of(v, field.to_field_name) for v in values if v not in (None, "")]

    def _keep_current_choices(self) -> None:
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
                continue
            if getattr(field, "_kept_queryset", None) is field.queryset:
                continue
            key = field.to_field_name or "pk"
            current = self._current_pks(name, field)
            offered = set(
                field.queryset.filter(**{f"{key}__in": current}).values_list(key, flat=True)
            )
            missing = [pk for pk in current if pk not in offered]
            if missing:
                field.queryset = self._with_values(field.queryset, key, missing)
                base_label = field.label_from_instance
                missing_set = set(missing)

                def label(obj, base_label=base_label, key=key, missing_set=missing_set):
                    text = base_label(obj)
                    if getattr(obj, key) in missing_set:
                        return self.kept_choice_label(obj, text)
                    return text

                field.label_from_instance = label
            field._kept_queryset = field.queryset

    @staticmethod
    def _with_values(queryset, key: str, values: list):
        model = queryset.model
        ordering = list(queryset.query.order_by) or list(model._meta.ordering)
        union = model._default_manager.filter(
            Q(**{f"{key}__in": queryset.values(key)}) | Q(**{f"{key}__in": values})
        )
        return union.order_by(*ordering) if ordering else union


class BaseModelForm(KeepCurrentChoicesMixin, CrispyMixin, forms.ModelForm):
    """The base of every model form (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._crispy()

    def full_clean(self):
        self._keep_omitted_fields()
        super().full_clean()

    def _keep_omitted_fields(self) -> None:
        """A field the request did not carry at all keeps the record's value.

        (HTML sends nothing for an unticked checkbox or an empty multiple select, so
        those read as "unticked" and "none", never as omitted.)
        """
        self.omitted_fields = set()
        if not self.is_bound or self.instance._state.adding:
            return
        data = None
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if field.disabled or not field.widget.value_omitted_from_data(
                self.data, self.files, key
            ):
                continue
            if data is None:
                data = self.data.copy()
            value = field.prepare_value(self.get_initial_for_field(field, name))
            if isinstance(value, (list, tuple)):
                values = [str(v) for v in value]
                if hasattr(data, "setlist"):
                    data.setlist(key, values)
                else:
                    data[key] = values
            else:
                data[key] = "" if value is None else str(value)
            self.omitted_fields.add(name)
        if data is not None:
            self.data = data

    def changed_data_dict(self) -> dict[str, Any]:
        """The model fields the person changed, with their cleaned values.

        A field the request did not carry is left out, so a save cannot clear a value
        the person never saw.
        """
        fields = self._meta.fields or ()
        if fields == forms.ALL_FIELDS:
            fields = [f.name for f in self._meta.model._meta.get_fields()]
        model_fields = set(fields)
        omitted = getattr(self, "omitted_fields", set())
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in model_fields and name in self.cleaned_data and name not in omitted
        }


SUBMISSION_TOKEN_FIELD = "submission_token"  # noqa: S105 (a field name, not a secret)


def submission_token_name(prefix: str = "") -> str:
    """The token's name in a POST, for a form with ``prefix`` (Django's ``prefix-name``)."""
    return f"{prefix}-{SUBMISSION_TOKEN_FIELD}" if prefix else SUBMISSION_TOKEN_FIELD


class SubmissionTokenField(forms.UUIDField):
    """A hidden one-time token. A malformed one reads as none (it cannot match anything).

    Drawn without an ``id`` (``False`` leaves the attribute out): nothing points at it,
    and a page with two such forms (the venture page's note and team forms) otherwise
    carried ``id="id_submission_token"`` twice."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput(attrs={"id": False}))
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        try:
            token = super().clean(value)
        except forms.ValidationError:
            return None
        return token


class SubmissionTokenMixin:
    """A create form that saves once, however often the rendered form is posted.

    Adds a hidden ``submission_token``, fresh for every rendered form (and kept when a
    refused form is shown again). Views pass ``form.submission_token`` to
    ``submissions.services.submission_save_once`` around the service call. A form
    written by hand in a template uses ``{% submission_token_input %}`` instead.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[SUBMISSION_TOKEN_FIELD] = SubmissionTokenField()
        if not self.is_bound:
            self.fields[SUBMISSION_TOKEN_FIELD].initial = uuid.uuid4()

    @property
    def submission_token(self) -> uuid.UUID | None:
        return self.cleaned_data.get(SUBMISSION_TOKEN_FIELD)

    def service_data(self) -> dict[str, Any]:
        """The cleaned values as the service's keyword arguments: all but the token."""
        return {k: v for k, v in self.cleaned_data.items() if k != SUBMISSION_TOKEN_FIELD}


class LinkField(forms.URLField):
    """A web address of at most ``max_length`` characters, read as https when typed
    without a scheme.

    One too long is told its length and nothing else. Django's URL check calls anything
    over 2,048 characters "Enter a valid URL." (it will not read so much), and that came
    first, beside the length, for a link that may be well formed. So the length is
    checked first and, when it is over, alone."""

    def __init__(self, *, max_length: int, **kwargs):
        if max_length > URLValidator.max_length:
            raise ImproperlyConfigured(
                f"A LinkField holds at most {URLValidator.max_length} characters, "
                "the most Django's URL check reads."
            )
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(max_length=max_length, **kwargs)

    def run_validators(self, value):
        if value not in self.empty_values:
            MaxLengthValidator(self.max_length)(value)
        super().run_validators(value)
