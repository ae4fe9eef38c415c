import django_filters

from seir.filtersets import FilterSet

from .models import ApplicationStatus, Fund, FundingApplication, FundingType


class ApplicationFilter(FilterSet):
    fund = django_filters.ModelChoiceFilter(queryset=Fund.objects.all(), empty_label="Any fund")
    funding_type = django_filters.ChoiceFilter(
        choices=FundingType.choices, label="Type", empty_label="Any type"
    )
    status = django_filters.ChoiceFilter(
        choices=ApplicationStatus.choices, empty_label="Any status"
    )
    venture = django_filters.CharFilter(
        field_name="venture__name", lookup_expr="icontains", label="Venture name", max_length=200
    )

    class Meta:
        model = FundingApplication
        fields = ["fund", "funding_type", "status", "venture"]
