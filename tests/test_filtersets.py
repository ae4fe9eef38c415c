"""seir.filtersets.FilterSet: the first form takes its fields without copying them."""

import django_filters
import pytest
from django.http import QueryDict

from accounts.factories import member
from accounts.roles import Role
from seir.filtersets import FilterSet
from ventures.factories import VentureFactory
from ventures.filters import VentureFilter
from ventures.models import Venture


class ByName(FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")
    status = django_filters.ChoiceFilter(choices=[("active", "Active"), ("paused", "Paused")])

    class Meta:
        model = Venture
        fields = ["name", "status"]


def test_the_first_form_takes_the_filters_fields_and_a_second_copies_them():
    filterset = ByName(QueryDict("name=x"), queryset=Venture.objects.none())

    form = filterset.form
    again = filterset.get_form_class()()

    assert form.fields["name"] is filterset.filters["name"].field
    assert again.fields["name"] is not form.fields["name"]
    again.fields["status"].choices = [("closed", "Closed")]
    assert list(form.fields["status"].choices)[-1] == ("paused", "Paused")


def test_two_filter_sets_never_share_a_field():
    first = ByName(QueryDict("name=a"), queryset=Venture.objects.none())
    second = ByName(QueryDict("name=b"), queryset=Venture.objects.none())

    assert first.form.fields["name"] is not second.form.fields["name"]
    assert (first.form["name"].value(), second.form["name"].value()) == ("a", "b")


@pytest.mark.django_db
def test_filtering_and_its_errors_work_as_before(programme):
    VentureFactory(programme=programme, stage_code="idea", name="Alpha", status="active")
    VentureFactory(programme=programme, stage_code="idea", name="Beta", status="paused")

    paused = ByName(QueryDict("status=paused"), queryset=Venture.objects.all())
    wrong = ByName(QueryDict("status=nonsense"), queryset=Venture.objects.all())
    user = member(programme, Role.SEIR)
    searched = VentureFilter(
        QueryDict("q=alp&sort=-name"), queryset=Venture.objects.all(), user=user
    )

    assert [v.name for v in paused.qs] == ["Beta"]
    assert wrong.is_valid() is False
    assert "status" in wrong.form.errors
    assert [v.name for v in searched.qs] == ["Alpha"]
