"""FilterSets, applied inside the selectors (never in views)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q

from accounts.models import User
from accounts.selectors import programmes_visible_to
from seir.filtersets import FilterSet

from .models import Commissioner, Introduction, Step

_DATE_WIDGET = forms.DateInput(attrs={"type": "date", "min": "2000-01-01", "max": "2100-12-31"})


class BoundedDateFilter(django_filters.DateFilter):
    """A date filter that ignores (with a form error) dates outside 2000–2100."""

    def filter(self, qs, value):
        if value and not (datetime.date(2000, 1, 1) <= value <= datetime.date(2100, 12, 31)):
            return qs.none()
        return super().filter(qs, value)


class IntroductionFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search", max_length=200)
    step = django_filters.ChoiceFilter(choices=Step.choices, empty_label="Any step")
    commissioner = django_filters.ModelChoiceFilter(
        queryset=Commissioner.objects.all(), empty_label="Any commissioner"
    )
    made_by = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(), label="Made by", empty_label="Anyone"
    )
    programme = django_filters.ModelChoiceFilter(
        field_name="venture__programme", queryset=None, empty_label="All programmes"
    )
    made_after = BoundedDateFilter(
        field_name="made_on", lookup_expr="gte", label="Made on or after", widget=_DATE_WIDGET
    )
    made_before = BoundedDateFilter(
        field_name="made_on", lookup_expr="lte", label="Made on or before", widget=_DATE_WIDGET
    )

    class Meta:
        model = Introduction
        fields = ["q", "step", "commissioner", "made_by", "programme", "made_after", "made_before"]

    def __init__(self, *args, user: User, base=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["programme"].queryset = programmes_visible_to(user=user)
        base = base if base is not None else self.queryset
        self.filters["made_by"].queryset = User.objects.filter(
            pk__in=base.order_by().values("made_by_id")
        )
        self.filters["commissioner"].queryset = Commissioner.objects.filter(
            pk__in=base.order_by().values("commissioner_id")
        )

    def search(self, queryset, name, value):
        value = value.replace("\x00", "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(venture__name__icontains=value)
            | Q(contact__name__icontains=value)
            | Q(commissioner__name__icontains=value)
            | Q(purpose__icontains=value)
        )
