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


def test_each_filter_set_has_its_own_filters_and_never_changes_the_classes():
    """The filters are copied with their own ``extra`` (seir.filtersets._filter_copy), not
    deep-copied: what one filter set sets on its filters reaches neither the class's
    filters nor another filter set's."""
    class_field = ByName.base_filters["status"].field  # one built for the class's filter
    first = ByName(QueryDict("status=paused"), queryset=Venture.objects.none())
    second = ByName(QueryDict(""), queryset=Venture.objects.none())

    first.filters["status"].extra["choices"] = [("closed", "Closed")]
    first.filters["name"].label = "Called"
    del first.filters["name"]

    assert ByName.base_filters["status"].extra["choices"] == [
        ("active", "Active"),
        ("paused", "Paused"),
    ]
    assert list(second.filters) == ["name", "status"]
    assert second.filters["name"].label != "Called"
    assert list(second.form.fields["status"].choices)[-1] == ("paused", "Paused")
    assert list(first.form.fields["status"].choices)[-1] == ("closed", "Closed")
    assert first.form.fields["status"] is not class_field
    assert second.form.fields["status"] is not class_field
    assert first.filters["status"].parent is first and second.filters["status"].parent is second


@pytest.mark.django_db
def test_a_filter_calling_its_filter_sets_method_calls_its_own(programme):
    user = member(programme, Role.SEIR)
    first = VentureFilter(QueryDict("q=alp"), queryset=Venture.objects.all(), user=user)
    second = VentureFilter(QueryDict("q=bet"), queryset=Venture.objects.all(), user=user)

    assert first.filters["q"].filter.f is first.filters["q"]
    assert first.filters["q"].parent is first
    assert second.filters["q"].filter.f is second.filters["q"]
    assert VentureFilter.base_filters["q"].filter.f is VentureFilter.base_filters["q"]
    # Each filter set's stage choices are its own person's, set on its own copy.
    assert first.filters["stage"].extra["choices"] is not second.filters["stage"].extra["choices"]
    assert "choices" not in VentureFilter.base_filters["stage"].extra
