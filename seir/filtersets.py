"""The project's base FilterSet: django-filter's, without a second copy of its form's fields.

django-filter builds a form class for each filter set from its filters' fields, which
are made for that filter set alone; Django's ``Form.__init__`` then deep-copies every
field again, ModelChoiceFields' querysets and each select's choices included. On the
venture list that copy was ~1.7 ms of an ~8 ms page (docs/performance.md §18). The first
form of a filter set takes the fields as they are; any later form copies them as usual.
"""

from __future__ import annotations

import django_filters


class _HandedOver(dict):
    """Form fields made for one form: its ``deepcopy`` (Form.__init__'s) is a new dict
    of the same fields."""

    def __deepcopy__(self, memo):
        return dict(self)


class FilterSet(django_filters.FilterSet):
    def get_form_class(self):
        form_class = super().get_form_class()
        if not getattr(self, "_fields_handed_over", False):
            self._fields_handed_over = True
            form_class.base_fields = _HandedOver(form_class.base_fields)
        return form_class
