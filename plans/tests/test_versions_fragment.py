"""The business-plan tab's side column, drawn by a Jinja2 fragment
(templates/jinja2/plans/versions.jinja), is what the Django template drew before: each
version with its review state, date, author and comment count, and the compare form
with the versions chosen (whitespace aside)."""

import datetime
import re
from types import SimpleNamespace

from django.template import engines
from django.utils import timezone

from accounts.models import User
from plans.forms import CompareForm
from seir.jinja2 import render_fragment

HOSTILE = "<script>alert('x')</script> O'Brien & \"Sons\""

# templates/plans/plan_page.html's side column as it was.
DJANGO = """    <section aria-labelledby="versions-title" class="mb-4">
      <h2 class="h5" id="versions-title">Submitted versions</h2>
      {% if versions %}
        <ul class="list-group">
          {% for v in versions %}
            <li class="list-group-item">
              <a href="{% url 'plans:version' venture.pk v.number %}">Version {{ v.number }}</a>
              <span class="badge plan-status plan-status-{{ v.review.status }}">{{ v.review.get_status_display }}</span>
              <div class="small text-body-secondary">{{ v.submitted_at|date:"j M Y" }} by {{ v.submitted_by|default:"—" }} · {{ v.comment_count }} comment{{ v.comment_count|pluralize }}</div>
            </li>
          {% endfor %}
        </ul>
      {% else %}
        <p>No version submitted yet.</p>
      {% endif %}
    </section>
    {% if compare_form %}
      <section aria-labelledby="compare-title" class="card card-body">
        <h2 class="h5" id="compare-title">Compare</h2>
        <form method="get" action="{% url 'plans:compare' venture.pk %}">
          <div class="mb-2"><label class="form-label" for="{{ compare_form.a.id_for_label }}">{{ compare_form.a.label }}</label>
            <select class="form-select" name="a" id="{{ compare_form.a.id_for_label }}">{% for value, text in compare_form.fields.a.choices %}<option value="{{ value }}"{% if value|stringformat:'s' == compare_form.a.value|stringformat:'s' %} selected{% endif %}>{{ text }}</option>{% endfor %}</select></div>
          <div class="mb-2"><label class="form-label" for="{{ compare_form.b.id_for_label }}">{{ compare_form.b.label }}</label>
            <select class="form-select" name="b" id="{{ compare_form.b.id_for_label }}">{% for value, text in compare_form.fields.b.choices %}<option value="{{ value }}"{% if value|stringformat:'s' == compare_form.b.value|stringformat:'s' %} selected{% endif %}>{{ text }}</option>{% endfor %}</select></div>
          <button type="submit" class="btn btn-outline-primary">Compare</button>
        </form>
      </section>
    {% endif %}
"""


def _words_and_tags(html: str) -> str:
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


def _both(**context) -> tuple[str, str]:
    django = engines["django"].from_string(DJANGO).render(context)
    jinja = render_fragment("plans/versions.jinja", context)
    return _words_and_tags(django), _words_and_tags(jinja)


def _review(status, label):
    return SimpleNamespace(status=status, get_status_display=lambda: label)


def _versions():
    author = User(username="ann", first_name="Ann", last_name=HOSTILE)
    at = timezone.make_aware(datetime.datetime(2026, 3, 4, 23, 30))
    return [
        SimpleNamespace(
            number=3,
            review=_review("approved", "Approved"),
            submitted_at=at,
            submitted_by=author,
            comment_count=1,
        ),
        SimpleNamespace(
            number=2,
            review=_review("feedback", f"Feedback {HOSTILE}"),
            submitted_at=at,
            submitted_by=None,
            comment_count=0,
        ),
        # no review row (none is ever missing, but the page must not fail if one is)
        SimpleNamespace(
            number=1, submitted_at=at, submitted_by=User(username=""), comment_count=12
        ),
    ]


def test_the_versions_and_the_compare_form_are_drawn_as_django_drew_them():
    venture = SimpleNamespace(pk=7)
    for compare_form in (
        CompareForm(numbers=[1, 2, 3], with_draft=True),
        CompareForm({"a": "2", "b": "draft"}, numbers=[1, 2, 3], with_draft=True),
        CompareForm({"a": "3", "b": "3"}, numbers=[1, 2, 3], with_draft=False),
        None,
    ):
        django, jinja = _both(versions=_versions(), venture=venture, compare_form=compare_form)
        assert jinja == django
    assert "Ann &lt;script&gt;" in jinja
    assert (
        '<option value="2" selected>Version 2</option>'
        in _both(
            versions=_versions(),
            venture=venture,
            compare_form=CompareForm({"a": "2", "b": "draft"}, numbers=[1, 2, 3], with_draft=True),
        )[1]
    )


def test_no_version_yet():
    django, jinja = _both(versions=[], venture=SimpleNamespace(pk=7), compare_form=None)
    assert jinja == django
    assert "No version submitted yet." in jinja
