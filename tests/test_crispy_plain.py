"""``{% crispy_plain form %}`` draws what ``{% crispy form %}`` draws, blank and refused,
for every form the pages draw with it; and leaves to crispy what it does not draw."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template import engines

from commissioning.forms import FocusForm
from commissioning.models import OutcomeDomain
from funding.forms import ApplicationCreateForm, DocumentForm, StatusForm
from funding.models import ApplicationStatus, FundingApplication
from outcomes.forms import IndicatorForm, MeasurementForm, SharingForm
from seir.templatetags import crispy_plain as tag

pytestmark = pytest.mark.django_db

CRISPY = engines["django"].from_string("{% load crispy_forms_tags %}{% crispy form %}")
PLAIN = engines["django"].from_string("{% load crispy_plain %}{% crispy_plain form %}")
CRISPY_FILTER = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")
PLAIN_FILTER = engines["django"].from_string("{% load crispy_plain %}{{ form|crispy_plain }}")


def _words_and_tags(html: str) -> str:
    """The markup with whitespace beside a tag dropped and runs of it made one space:
    crispy's templates indent their output, which a browser does not draw."""
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


def _status_form(data=None):
    application = FundingApplication(status=ApplicationStatus.SUBMITTED)
    return StatusForm(
        data,
        application=application,
        statuses=[ApplicationStatus.UNDER_REVIEW, ApplicationStatus.AWARDED],
        prefix="a7",
    )


# Each form as the tabs draw it: blank, then refused (a value out of range, a required
# field left empty, a choice not offered, an error not about one field).
FORMS = {
    "status, blank": lambda: _status_form(),
    "status, refused": lambda: _status_form(
        {"a7-to_status": "nonsense", "a7-amount_awarded": "-3", "a7-on": "2026-13-45"}
    ),
    "application, blank": lambda: ApplicationCreateForm(),
    "application, refused": lambda: ApplicationCreateForm(
        {"purpose": "<b>Coaches</b> & kit", "amount_requested": "1e99", "deadline": "x"}
    ),
    "indicator, blank": lambda: IndicatorForm(),
    "indicator, refused": lambda: IndicatorForm({"name": "Ünïcødé", "baseline": "lots"}),
    "measurement, blank": lambda: MeasurementForm(prefix="i3"),
    "measurement, refused": lambda: MeasurementForm({"i3-value": "x"}, prefix="i3"),
    "sharing, ticked": lambda: SharingForm(initial={"shared": True}),
    "document, blank": lambda: DocumentForm(prefix="a7"),
    "document, refused": lambda: DocumentForm({}, {}, prefix="a7"),
}


def _refused_as_a_whole(form):
    form.is_valid()
    form.add_error(None, "The application changed meanwhile: <see> below.")
    return form


@pytest.mark.parametrize("make", FORMS.values(), ids=FORMS.keys())
def test_it_draws_what_crispy_draws(make, settings):
    settings.LANGUAGE_CODE = "en-gb"
    form = make()
    if form.is_bound:
        form.is_valid()
    assert tag._drawable(form)  # drawn by crispy_plain, not handed to crispy

    # crispy_plain first: crispy adds its classes to the form's widgets as it draws them
    plain = PLAIN.render({"form": form})
    crispy = CRISPY.render({"form": form})

    assert _words_and_tags(plain) == _words_and_tags(crispy)


def test_an_error_not_about_one_field_is_drawn_as_crispy_draws_it():
    form = _refused_as_a_whole(_status_form({"a7-to_status": "awarded"}))
    plain = PLAIN.render({"form": form})
    assert _words_and_tags(plain) == _words_and_tags(CRISPY.render({"form": form}))
    assert '<div class="alert alert-block alert-danger" role="alert">' in plain
    assert "meanwhile: &lt;see&gt; below." in plain


def test_a_refused_field_is_tied_to_its_error_as_the_tests_of_each_tab_expect():
    form = _status_form({"a7-to_status": "awarded", "a7-amount_awarded": "-3"})
    form.is_valid()
    html = PLAIN.render({"form": form})
    assert 'aria-describedby="id_a7-amount_awarded_helptext id_a7-amount_awarded_error"' in html
    assert 'id="error_1_id_a7-amount_awarded"' in html


class _Choices(forms.Form):
    """Radio buttons and check boxes with help text, required, in groups."""

    size = forms.ChoiceField(
        choices=[("s", "Small <1"), ("l", "Large & more")],
        widget=forms.RadioSelect,
        help_text="How big <em>now</em>.",
    )
    areas = forms.MultipleChoiceField(
        choices=[("North", [("n1", "N1"), ("n2", "N2")]), ("South", [("s1", "S1")])],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _focus_refused():
    return FocusForm({"domains": ["999999", str(OutcomeDomain.objects.first().pk)]}, focus=None)


# Forms drawn with ``{{ form|crispy }}`` (no helper).
FILTERED = {
    "focus, blank": lambda: FocusForm(focus=None),
    "focus, refused": _focus_refused,
    "choices, blank": lambda: _Choices(initial={"size": "l", "areas": ["n2", "s1"]}),
    "choices, refused": lambda: _Choices({"size": "x", "areas": ["n1", "zz"]}),
}


@pytest.mark.parametrize("make", FILTERED.values(), ids=FILTERED.keys())
def test_as_a_filter_it_draws_what_crispys_filter_draws(make):
    form = make()
    if form.is_bound:
        form.is_valid()
    assert tag._drawable(form, as_filter=True)

    plain = PLAIN_FILTER.render({"form": form})
    crispy = CRISPY_FILTER.render({"form": form})

    assert _words_and_tags(plain) == _words_and_tags(crispy)
    assert "<fieldset" in plain


class _StoredFile:
    name = "plan.pdf"
    url = "/media/plan.pdf"

    def __str__(self):
        return self.name


def test_what_it_does_not_draw_is_left_to_crispy():
    # a file input holding a file already: crispy's own markup (its input group)
    form = DocumentForm(initial={"file": _StoredFile()})
    assert not tag._drawable(form)
    drawn = PLAIN.render({"form": form})
    assert drawn == CRISPY.render({"form": DocumentForm(initial={"file": _StoredFile()})})
    assert 'href="/media/plan.pdf"' in drawn

    # a helper set up otherwise (labels hidden) is crispy's too
    hidden_labels = MeasurementForm()
    hidden_labels.helper.form_show_labels = False
    assert not tag._drawable(hidden_labels)

    # as a filter too: a file input holding a file
    class Choice(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)

    files = Choice(initial={"pick": _StoredFile()})
    files.fields["pick"].widget = forms.ClearableFileInput()
    assert not tag._drawable(files, as_filter=True)
    assert PLAIN_FILTER.render({"form": files}) == CRISPY_FILTER.render({"form": files})
