"""The outcomes tab's indicators, drawn by a Jinja2 fragment
(templates/jinja2/outcomes/indicators.jinja), are what the Django template drew before:
people's text escaped the same, numbers and dates formatted the same, the correction
and measurement forms with their errors and what was typed (whitespace aside)."""

import datetime
from decimal import Decimal

import pytest

from outcomes import services
from outcomes.forms import CorrectionForm, MeasurementForm
from outcomes.models import Measurement, OutcomeDomain
from outcomes.views import _tab_context
from tests.fragments import both, tab_context

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> O'Brien & \"Sons\""

# The loop as templates/outcomes/venture_outcomes.html drew it with Django's templates
# (over the measurements it had read with each indicator, now ``measurement_list``).
DJANGO = (
    "{% load crispy_plain %}"
    + """{% for ind in indicators %}
  <article class="card mb-4 outcome-indicator" id="ind-{{ ind.pk }}" aria-labelledby="ind-{{ ind.pk }}-title">
    <div class="card-body">
      <h3 class="h5" id="ind-{{ ind.pk }}-title">{{ ind.name }} <span class="badge text-bg-info">Domain {{ ind.domain.number }}</span></h3>
      <p class="small mb-2">{{ ind.domain.name }} · unit: {{ ind.unit }} · baseline {{ ind.baseline|floatformat:"-2g" }} · target {{ ind.target|floatformat:"-2g" }} · {{ ind.get_direction_display|lower }}</p>
      {% if ind.description %}<p class="prewrap">{{ ind.description }}</p>{% endif %}
      <p class="mb-3" data-progress>
        {% if ind.progress.latest %}
          Latest: <strong>{{ ind.progress.latest.value|floatformat:"-2g" }} {{ ind.unit }}</strong> on {{ ind.progress.latest.measured_on|date:"j M Y" }}
          {% if ind.progress.percent is not None %}· {{ ind.progress.percent }}% of the way from baseline to target{% endif %}
          {% if ind.progress.on_target %}<span class="badge text-bg-success ms-1">Target reached</span>{% endif %}
        {% else %}No measurements yet.{% endif %}
      </p>
      <div class="row g-3">
        <div class="col-lg-7">
          <div class="outcome-chart"><canvas id="chart-{{ ind.pk }}" role="img" aria-label="Chart of {{ ind.name }} over time; the same figures are in the table beside it."></canvas></div>
        </div>
        <div class="col-lg-5">
          <div class="table-responsive">
          <table class="table table-sm">
            <caption>{{ ind.name }} ({{ ind.unit }}) by date</caption>
            <thead><tr><th scope="col">Date</th><th scope="col" class="text-end">Value</th><th scope="col">Note</th>{% if can_record %}<th scope="col"><span class="visually-hidden">Correct</span></th>{% endif %}</tr></thead>
            <tbody>
              <tr class="text-body-secondary"><th scope="row">Baseline</th><td class="text-end">{{ ind.baseline|floatformat:"-2g" }}</td><td></td>{% if can_record %}<td></td>{% endif %}</tr>
              {% for m in ind.measurement_list %}
                <tr><th scope="row"><time datetime="{{ m.measured_on|date:'Y-m-d' }}">{{ m.measured_on|date:"j M Y" }}</time></th><td class="text-end">{{ m.value|floatformat:"-2g" }}</td><td>{{ m.note }}</td>
                  {% if can_record %}{% with c=m.correction %}<td><details{% if c %} open{% endif %}><summary class="small">Correct<span class="visually-hidden"> the value for {{ m.measured_on|date:"j M Y" }}</span></summary>
                    <form method="post" action="{% url 'outcomes:measurement_correct' venture.pk m.pk %}" class="mt-1" novalidate>{% csrf_token %}
                      <input type="hidden" name="m{{ m.pk }}-was_value" value="{% if c %}{{ c.was_value.value|default_if_none:"" }}{% else %}{{ m.value }}{% endif %}"><input type="hidden" name="m{{ m.pk }}-was_note" value="{% if c %}{{ c.was_note.value|default_if_none:"" }}{% else %}{{ m.note }}{% endif %}">
                      {% if c.non_field_errors %}<div class="alert alert-danger small p-1 mb-1" role="alert">{{ c.non_field_errors|join:" " }}</div>{% endif %}
                      <label class="form-label small mb-0" for="m{{ m.pk }}-value">Value</label>
                      <input type="text" inputmode="decimal" spellcheck="false" name="m{{ m.pk }}-value" id="m{{ m.pk }}-value" value="{% if c %}{{ c.value.value|default_if_none:"" }}{% else %}{{ m.value }}{% endif %}" class="form-control form-control-sm{% if c.value.errors %} is-invalid{% endif %}" required{% if c.value.errors %} aria-invalid="true" aria-describedby="m{{ m.pk }}-value-error"{% endif %}>
                      {% if c.value.errors %}<div class="invalid-feedback d-block" id="m{{ m.pk }}-value-error">{{ c.value.errors|join:" " }}</div>{% endif %}
                      <label class="form-label small mb-0" for="m{{ m.pk }}-note">Note</label>
                      <input type="text" name="m{{ m.pk }}-note" id="m{{ m.pk }}-note" value="{% if c %}{{ c.note.value|default_if_none:"" }}{% else %}{{ m.note }}{% endif %}" maxlength="300" class="form-control form-control-sm{% if c.note.errors %} is-invalid{% endif %}"{% if c.note.errors %} aria-invalid="true" aria-describedby="m{{ m.pk }}-note-error"{% endif %}>
                      {% if c.note.errors %}<div class="invalid-feedback d-block" id="m{{ m.pk }}-note-error">{{ c.note.errors|join:" " }}</div>{% endif %}
                      <button type="submit" class="btn btn-sm btn-outline-primary mt-1">Save correction</button>
                    </form></details></td>{% endwith %}{% endif %}</tr>
              {% endfor %}
              <tr class="text-body-secondary"><th scope="row">Target</th><td class="text-end">{{ ind.target|floatformat:"-2g" }}</td><td></td>{% if can_record %}<td></td>{% endif %}</tr>
            </tbody>
          </table>
          </div>
        </div>
      </div>
      {% if can_record %}
        <form method="post" action="{% url 'outcomes:indicator_share' venture.pk ind.pk %}" class="d-flex flex-wrap align-items-center gap-2 mb-2 indicator-sharing">{% csrf_token %}
          <div class="form-check mb-0">
            <input class="form-check-input" type="checkbox" name="shared" value="on" id="share-{{ ind.pk }}"{% if ind.shared_with_commissioners %} checked{% endif %}>
            <label class="form-check-label" for="share-{{ ind.pk }}">Share with commissioners we are introduced to</label>
          </div>
          <button type="submit" class="btn btn-sm btn-outline-secondary">Save sharing<span class="visually-hidden"> of {{ ind.name }}</span></button>
        </form>
      {% elif ind.shared_with_commissioners %}
        <p class="small mb-2">Shared with the commissioners this venture is introduced to.</p>
      {% endif %}
      {% if ind.form %}
        <details{% if ind.form.errors %} open{% endif %}>
          <summary>Record a measurement<span class="visually-hidden"> of {{ ind.name }}</span></summary>
          <form method="post" action="{% url 'outcomes:measurement_add' venture.pk ind.pk %}" class="mt-2" novalidate>{% csrf_token %}
            {% crispy_plain ind.form %}
            <button type="submit" class="btn btn-sm btn-primary">Record<span class="visually-hidden"> a measurement of {{ ind.name }}</span></button>
          </form>
        </details>
      {% endif %}
    </div>
  </article>
{% empty %}
  <p>No outcome indicators yet.</p>
{% endfor %}
"""
)


def _both(context) -> tuple[str, str]:
    return both(DJANGO, "outcomes/indicators.jinja", context)


@pytest.fixture
def indicators(entrepreneur, venture):
    first = services.indicator_add(
        actor=entrepreneur,
        venture=venture,
        domain=OutcomeDomain.objects.get(number=2),
        name=f"Women taking part {HOSTILE}",
        unit="<b>people</b> & Co",
        baseline=Decimal("1234.5"),
        target=Decimal("1000000"),
        description=f"Line one\n{HOSTILE}",
    )
    second = services.indicator_add(
        actor=entrepreneur,
        venture=venture,
        domain=OutcomeDomain.objects.get(number=5),
        name="Falls a month",
        unit="falls",
        baseline=Decimal("40"),
        target=Decimal("10"),
        direction="down",
    )
    for day, value, note in [
        (datetime.date(2026, 1, 5), "1500.25", HOSTILE),
        (datetime.date(2026, 2, 5), "0", ""),
        (datetime.date(2026, 3, 5), "1000000.1", "over target"),
    ]:
        services.measurement_record(
            actor=entrepreneur, indicator=first, measured_on=day, value=Decimal(value), note=note
        )
    services.measurement_record(
        actor=entrepreneur,
        indicator=second,
        measured_on=datetime.date(2026, 1, 9),
        value=Decimal("10"),
    )
    return first, second


def _context(user, venture, **kwargs):
    return tab_context(_tab_context, user, venture, csrf_token="TOKEN-" + HOSTILE, **kwargs)


@pytest.mark.parametrize("who", ["entrepreneur", "manager"])
def test_the_indicators_are_drawn_as_the_django_template_drew_them(
    request, who, venture, indicators
):
    user = request.getfixturevalue(who)
    django, jinja = _both(_context(user, venture))
    assert jinja == django
    assert "Women taking part &lt;script&gt;" in jinja
    assert ("Save correction" in jinja) is (who == "entrepreneur")


def test_refused_forms_are_drawn_as_the_django_template_drew_them(
    entrepreneur, venture, indicators
):
    first, second = indicators
    measurement = Measurement.objects.filter(indicator=first).order_by("measured_on").first()
    correction = CorrectionForm(
        {
            f"m{measurement.pk}-value": f"12x{HOSTILE}",
            f"m{measurement.pk}-note": HOSTILE,
            f"m{measurement.pk}-was_value": "1500.25",
            f"m{measurement.pk}-was_note": "",
        },
        prefix=f"m{measurement.pk}",
    )
    correction.is_valid()
    correction.add_error(None, f"Changed meanwhile {HOSTILE}")
    failed = MeasurementForm({f"i{second.pk}-value": "abc"}, prefix=f"i{second.pk}")
    failed.is_valid()

    context = _context(
        entrepreneur,
        venture,
        failed=(second.pk, failed),
        failed_correction=(measurement.pk, correction),
    )
    django, jinja = _both(context)

    assert jinja == django
    assert f'aria-invalid="true" aria-describedby="m{measurement.pk}-value-error"' in jinja
    assert "Changed meanwhile &lt;script&gt;" in jinja


def test_no_indicators(entrepreneur, venture):
    django, jinja = _both(_context(entrepreneur, venture))
    assert jinja == django == "<p>No outcome indicators yet.</p>"
