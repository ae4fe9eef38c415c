"""The project's base FilterSet: django-filter's, with cheaper copies of its filters and
without a second copy of its form's fields.

**The filters.** Each filter set starts from ``copy.deepcopy(base_filters)``: every
filter with its choices, querysets (a query's deep copy) and widgets, ~40 µs a filter,
nine on the venture list, on every list page and search. What a filter set changes on
its own filters is attributes (``filters["seir"].queryset = ...``) and ``extra`` keys
(``filters["stage"].extra["choices"] = ...``), never the values inside them, so a copy
of each filter with its own ``extra`` dict keeps every filter set's changes its own:
the shared values (choices, the class's querysets, widgets) are only read, and a form
field deep-copies its widget. A copy drops any form field already built for the
original, and a filter calling a method of its filter set gets its own ``FilterMethod``
pointing at the copy (the original's points at the original, whose filter set is none).

**The form.** django-filter builds a form class for each filter set from its filters'
fields, which are made for that filter set alone; Django's ``Form.__init__`` then
deep-copies every field again, ModelChoiceFields' querysets and each select's choices
included. On the venture list that copy was ~1.7 ms of an ~8 ms page
(docs/performance.md §18). The first form of a filter set takes the fields as they are;
any later form copies them as usual.
"""

from __future__ import annotations

import copy

import django_filters


def _filter_copy(original: django_filters.Filter) -> django_filters.Filter:
    """A filter for one filter set: its own attributes and ``extra``, no form field yet."""
    filter_ = copy.copy(original)
    filter_.extra = dict(original.extra)
    filter_.__dict__.pop("_field", None)
    if original.method is not None:
        filter_.method = original.method  # a FilterMethod resolving on this copy's parent
    return filter_


class _Filters(dict):
    """A filter set class's ``base_filters``: what ``BaseFilterSet.__init__``'s
    ``deepcopy`` makes of it is a new dict of ``_filter_copy`` of each."""

    def __deepcopy__(self, memo):
        return {name: _filter_copy(filter_) for name, filter_ in self.items()}


class _HandedOver(dict):
    """Form fields made for one form: its ``deepcopy`` (Form.__init__'s) is a new dict
    of the same fields."""

    def __deepcopy__(self, memo):
        return dict(self)


class FilterSet(django_filters.FilterSet):
    @classmethod
    def get_filters(cls):
        return _Filters(super().get_filters())

    def get_form_class(self):
        form_class = super().get_form_class()
        if not getattr(self, "_fields_handed_over", False):
            self._fields_handed_over = True
            form_class.base_fields = _HandedOver(form_class.base_fields)
        return form_class
