"""The activity feed's filters: kind, actor, venture and a range of the days things
happened on (``Event.at``, not when they were recorded)."""

from __future__ import annotations

import django_filters
from django import forms

from accounts.models import User
from seir.filtersets import FilterSet

from .models import Event
from .registry import kind_choices


class EventFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=[], label="Kind", empty_label="Any kind")
    actor = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(), label="By", empty_label="Anyone"
    )
    venture = django_filters.ChoiceFilter(
        field_name="venture_id", choices=[], label="Venture", empty_label="Any venture"
    )
    date_from = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__gte",
        label="Happened from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__lte",
        label="Happened until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Event
        fields = ["kind", "actor", "venture", "date_from", "date_to"]

    def __init__(self, *args, actors, ventures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["choices"] = kind_choices()
        self.filters["actor"].queryset = actors
        if ventures is None:
            del self.filters["venture"]
        else:
            self.filters["venture"].extra["choices"] = ventures

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).order_by("-at", "-id")
