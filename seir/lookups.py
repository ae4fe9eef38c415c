"""Integer lookups that treat an out-of-range number as "no match", never a 500.

Django already does this for ``exact``, ``gt``, ``gte``, ``lt`` and ``lte`` on integer
columns, but not for ``in``: ``pk__in=[99999999999999999999]`` (what a multiple-choice
form or filter builds from a hostile POST) raises OverflowError on SQLite and "out of
range" on PostgreSQL. Registered for every integer and relation field by ``seir.apps``.
"""

from __future__ import annotations

from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class DropOutOfRangeIntegers:
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            field = self.lhs.output_field
            field = getattr(field, "target_field", None) or field
            internal_type = field.get_internal_type()
            if internal_type in connection.ops.integer_field_ranges:
                low, high = connection.ops.integer_field_range(internal_type)
                self.rhs = [
                    value
                    for value in self.rhs
                    if not isinstance(value, int)
                    or ((low is None or value >= low) and (high is None or value <= high))
                ]
        return super().process_rhs(compiler, connection)


class IntegerFieldIn(DropOutOfRangeIntegers, In):
    pass


class RelatedIntegerIn(DropOutOfRangeIntegers, RelatedIn):
    pass


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
    ForeignObject.register_lookup(RelatedIntegerIn)
