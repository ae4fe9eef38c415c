"""What a venture works on (its Outcomes Framework domains and service areas), as the
Commissioning tab's form sets it."""

from __future__ import annotations

from django import forms

from seir.forms import KeepCurrentChoicesMixin

from .models import OutcomeDomain, ServiceArea, VentureFocus
from .reference import focus_reference


class FocusForm(KeepCurrentChoicesMixin, forms.Form):
    """What the venture works on, drawn from (and checked against) its ``focus``: a domain
    or service area retired since it was chosen stays ticked, marked retired, until
    someone unticks it (``KeepCurrentChoicesMixin``)."""

    domains = forms.ModelMultipleChoiceField(
        queryset=OutcomeDomain.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Outcomes Framework domains",
    )
    service_areas = forms.ModelMultipleChoiceField(
        queryset=ServiceArea.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, focus: VentureFocus | None, **kwargs):
        """``focus``: as ``selectors.venture_focus`` reads it (its ``domain_list`` and
        ``area_list``), or None."""
        # The record the mixin keeps the current choices of (none yet: nothing to keep).
        self.instance = focus or VentureFocus()
        initial = {
            "domains": list(focus.domain_list) if focus else [],
            "service_areas": list(focus.area_list) if focus else [],
        }
        super().__init__(*args, initial=initial, **kwargs)

    def _keep_current_choices(self) -> None:
        # A form to fill in offers its choices from the reference data
        # (``offered_choices``); one sent back is checked against the database, with the
        # retired values it holds kept by the mixin.
        if self.is_bound:
            super()._keep_current_choices()

    def offered_choices(self) -> dict[str, list[tuple[int, str]]]:
        """What the check boxes offer a form to fill in (crispy_plain draws them from
        here): the active domains and service areas, and those the focus holds that have
        been retired since, marked as the mixin marks them, from the reference data
        (``commissioning.reference``). A bound form's come from its fields' querysets."""
        if self.is_bound:
            return {}
        reference = focus_reference()
        return {
            "domains": self._offered("domains", reference.domains),
            "service_areas": self._offered("service_areas", reference.service_areas),
        }

    def _offered(self, name: str, rows) -> list[tuple[int, str]]:
        field = self.fields[name]
        held = {row.pk for row in self.initial[name]}
        return [
            (
                row.pk,
                field.label_from_instance(row)
                if row.is_active
                else self.kept_choice_label(row, field.label_from_instance(row)),
            )
            for row in rows
            if row.is_active or row.pk in held
        ]
