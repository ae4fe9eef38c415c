"""The dashboard's filters: programme, period and SEiR, checked on the server."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils import timezone

from seir import refcache
from ventures.filters import seirs_with_labels

from . import periods

PERIOD_CHOICES = [
    ("programme", "The programme's period"),
    ("quarter", "This quarter (NHS financial year)"),
    ("month", "This month"),
    ("custom", "From and to dates"),
]


@dataclass(frozen=True)
class ChosenSeir:
    """The SEiR whose ventures the figures are narrowed to: the id the queries take and
    the name the pages show."""

    pk: int
    name: str

    def __str__(self) -> str:
        return self.name


def seir_choices(programme) -> list[tuple[int, str, str]]:
    """(id, name, label) of each person a programme's figures can be narrowed to
    (``ventures.filters.seirs_with_labels``: its SEiRs, and anyone who has left or lost
    the role while ventures are in their name, marked). Kept with the reference data,
    as the venture list's filter keeps the same choices: renewed by any change to a
    programme, a membership or a user."""

    def build():
        return [(user.pk, str(user), label) for user, label in seirs_with_labels([programme])]

    return refcache.cached(f"progress:seirs:{programme.pk}", build, in_process=True)


class DashboardFilterForm(forms.Form):
    """Programmes and SEiRs come in as lists already read (the programme's SEiRs, each with
    its label: ``seir_choices``), so checking a choice costs no query."""

    programme = forms.TypedChoiceField(coerce=int, required=False)
    period = forms.ChoiceField(
        choices=PERIOD_CHOICES,
        required=False,
        initial="programme",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    seir = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label="SEiR",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, data, *, programmes, seirs):
        super().__init__(data)
        self.programmes = {p.pk: p for p in programmes}
        self.seirs = {pk: ChosenSeir(pk, name) for pk, name, _label in seirs}
        self.fields["programme"].choices = [(p.pk, p.name) for p in programmes]
        self.fields["seir"].choices = [("", "Every SEiR")] + [
            (pk, label) for pk, _name, label in seirs
        ]

    def clean_programme(self):
        pk = self.cleaned_data.get("programme")
        return self.programmes.get(pk) if pk not in (None, "") else None

    def clean_seir(self):
        pk = self.cleaned_data.get("seir")
        return self.seirs.get(pk) if pk is not None else None

    def clean(self):
        data = super().clean()
        if data.get("period") in ("", "programme", None) and (data.get("start") or data.get("end")):
            # Dates typed without choosing "From and to dates" mean those dates.
            data["period"] = "custom"
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if start is None and "start" not in self.errors:
                self.add_error("start", "Enter the first day of the period.")
            if end is None and "end" not in self.errors:
                self.add_error("end", "Enter the last day of the period.")
            for name, value in (("start", start), ("end", end)):
                if value and not periods.EARLIEST <= value <= periods.LATEST:
                    self.add_error(
                        name,
                        f"Enter a date between {periods.EARLIEST:%-d %B %Y} and "
                        f"{periods.LATEST:%-d %B %Y}.",
                    )
            if start and end and end < start:
                self.add_error("end", "The last day must be on or after the first day.")
        return data

    def period_for(self, programme) -> periods.Period:
        """The chosen period (the programme's when nothing valid was chosen)."""
        data = self.cleaned_data if self.is_valid() else {}
        today = timezone.localdate()
        choice = data.get("period") or "programme"
        if choice == "quarter":
            return periods.nhs_quarter(today)
        if choice == "month":
            return periods.this_month(today)
        if choice == "custom" and data.get("start") and data.get("end"):
            start, end = data["start"], data["end"]
            return periods.Period(start, end, f"{start:%-d %b %Y} to {end:%-d %b %Y}")
        return periods.programme_period(programme)
