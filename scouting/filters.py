"""django-filter FilterSets for the scouting lists (applied inside the selectors)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from accounts.models import Programme
from seir.dates import filter_on_or_after, filter_on_or_before
from seir.filtersets import FilterSet
from seir.forms import MarkedModelChoiceField

from .forms import BoundedModelChoiceField
from .models import (
    FollowUp,
    Idea,
    IdeaStatus,
    Meeting,
    MeetingType,
    Organisation,
    Person,
    Sector,
    Tag,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})
MAX_SEARCH = 200


class BoundedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = BoundedModelChoiceField


class MarkedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """Retired values still filter, marked "(retired)"."""

    field_class = MarkedModelChoiceField


class _ProgrammeMixin:
    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["programme"].queryset = programmes
        if len(self.filters["programme"].queryset) < 2:
            # One programme: nothing to choose.
            del self.filters["programme"]

    @property
    def qs(self):
        queryset = super().qs
        return (
            queryset.order_by(*queryset.query.order_by, "pk")
            if queryset.query.order_by
            else queryset
        )


def _search(*fields):
    def method(self, queryset, name, value):
        value = value.strip()[:MAX_SEARCH]
        if not value:
            return queryset
        q = Q()
        for f in fields:
            q |= Q(**{f"{f}__icontains": value})
        return queryset.filter(q)

    return method


class MeetingFilter(_ProgrammeMixin, FilterSet):
    programme = BoundedModelChoiceFilter(
        queryset=Programme.objects.none(), empty_label="All programmes"
    )
    date_from = django_filters.DateFilter(method="from_date", label="From", widget=DATE_WIDGET)
    date_to = django_filters.DateFilter(method="to_date", label="To", widget=DATE_WIDGET)
    sector = django_filters.ChoiceFilter(
        choices=Sector.choices, method="by_sector", empty_label="Any sector"
    )
    meeting_type = django_filters.ChoiceFilter(
        choices=MeetingType.choices, label="Type", empty_label="Any type"
    )
    attendee = django_filters.CharFilter(method="by_attendee", label="Attendee name")
    open_followups = django_filters.BooleanFilter(
        method="by_open_followups",
        label="Open follow-ups",
        widget=forms.Select(
            choices=[("", "Either"), ("true", "Has open follow-ups"), ("false", "None open")]
        ),
    )

    class Meta:
        model = Meeting
        fields = [
            "programme",
            "date_from",
            "date_to",
            "sector",
            "meeting_type",
            "attendee",
            "open_followups",
        ]

    def from_date(self, queryset, name, value):
        return filter_on_or_after(queryset, "held_at", value)

    def to_date(self, queryset, name, value):
        return filter_on_or_before(queryset, "held_at", value)

    # Semi-joins on small id sets (IN subqueries), not a correlated EXISTS per meeting:
    # PostgreSQL then builds each set once instead of probing it for every row.
    def by_sector(self, queryset, name, value):
        through = Meeting.organisations.through
        return queryset.filter(
            pk__in=through.objects.filter(organisation__sector=value).values("meeting_id")
        )

    def by_attendee(self, queryset, name, value):
        value = value.strip()[:MAX_SEARCH]
        if not value:
            return queryset
        through = Meeting.attendees.through
        return queryset.filter(
            pk__in=through.objects.filter(person__name__icontains=value).values("meeting_id")
        )

    def by_open_followups(self, queryset, name, value):
        if value is None:
            return queryset
        open_ids = FollowUp.objects.filter(done=False, meeting__isnull=False).values("meeting_id")
        return queryset.filter(pk__in=open_ids) if value else queryset.exclude(pk__in=open_ids)


class PersonFilter(_ProgrammeMixin, FilterSet):
    programme = BoundedModelChoiceFilter(
        queryset=Programme.objects.none(), empty_label="All programmes"
    )
    q = django_filters.CharFilter(method="search", label="Name, email or job title")
    sector = django_filters.ChoiceFilter(
        field_name="organisation__sector", choices=Sector.choices, empty_label="Any sector"
    )
    tag = MarkedModelChoiceFilter(
        queryset=Tag.objects.all(), field_name="tags", to_field_name="code", empty_label="Any tag"
    )
    consent_to_contact = django_filters.BooleanFilter(
        label="Consents to contact",
        widget=forms.Select(choices=[("", "Either"), ("true", "Yes"), ("false", "No")]),
    )

    search = _search("name", "email", "job_title")

    class Meta:
        model = Person
        fields = ["programme", "q", "sector", "tag", "consent_to_contact"]


class OrganisationFilter(_ProgrammeMixin, FilterSet):
    programme = BoundedModelChoiceFilter(
        queryset=Programme.objects.none(), empty_label="All programmes"
    )
    q = django_filters.CharFilter(method="search", label="Name or area")
    sector = django_filters.ChoiceFilter(choices=Sector.choices, empty_label="Any sector")

    search = _search("name", "area")

    class Meta:
        model = Organisation
        fields = ["programme", "q", "sector"]


class IdeaFilter(_ProgrammeMixin, FilterSet):
    programme = BoundedModelChoiceFilter(
        queryset=Programme.objects.none(), empty_label="All programmes"
    )
    q = django_filters.CharFilter(method="search", label="Title, description or need")
    status = django_filters.ChoiceFilter(choices=IdeaStatus.choices, empty_label="Any status")
    sector = django_filters.ChoiceFilter(
        choices=Sector.choices, method="by_sector", empty_label="Any sector"
    )

    search = _search("title", "description", "health_need")

    class Meta:
        model = Idea
        fields = ["programme", "q", "status", "sector"]

    def by_sector(self, queryset, name, value):
        through = Idea.source_meetings.through
        orgs = Meeting.organisations.through
        meetings = orgs.objects.filter(organisation__sector=value).values("meeting_id")
        return queryset.filter(
            pk__in=through.objects.filter(meeting_id__in=meetings).values("idea_id")
        )
