"""Amounts typed as people write them (seir.amounts): a pound sign, commas between
thousands and spaces are read; anything else is refused with a message that says what
is wanted, and what was typed stays in the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms

from seir.amounts import AmountField, PoundsField

POUNDS = "Enter an amount in pounds, such as 1250 or £1,250.50."
NUMBER = "Enter a number, such as 12 or 1,250.5."


class _Form(forms.Form):
    amount = PoundsField(max_digits=12, decimal_places=2, required=False)
    count = AmountField(max_digits=12, decimal_places=2, required=False)


def _clean(**data):
    form = _Form(data=data)
    return form, form.is_valid()


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("£1,250.50", Decimal("1250.50")),
        ("1,000", Decimal("1000")),
        ("12,345,678.9", Decimal("12345678.9")),
        (" 500 ", Decimal("500")),
        ("1 000", Decimal("1000")),
        ("1\u00a0000", Decimal("1000")),
        ("£ 75", Decimal("75")),
        ("-£5", Decimal("-5")),
        ("0.5", Decimal("0.5")),
        ("", None),
    ],
)
def test_an_amount_in_pounds_is_read_as_people_write_it(typed, read):
    form, valid = _clean(amount=typed)
    assert valid, form.errors
    assert form.cleaned_data["amount"] == read


@pytest.mark.parametrize("typed", ["1,00", "12,34,567", "1,000,00", "£", "£5£", "five", "NaN"])
def test_anything_else_is_refused_saying_what_is_wanted_and_kept(typed):
    form, valid = _clean(amount=typed)
    assert not valid
    assert form.errors["amount"] == [POUNDS]
    assert f'value="{typed}"' in str(form["amount"])


def test_a_plain_number_takes_no_pound_sign():
    form, valid = _clean(count="£5")
    assert not valid
    assert form.errors["count"] == [NUMBER]
    form, valid = _clean(count="1,250.5")
    assert valid and form.cleaned_data["count"] == Decimal("1250.5")


def test_it_is_a_text_input_with_the_decimal_keypad():
    html = str(_Form()["amount"])
    assert 'type="text"' in html
    assert 'inputmode="decimal"' in html
    assert 'type="number"' not in html
