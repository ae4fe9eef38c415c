"""The due-diligence tab's sections, drawn by a Jinja2 fragment
(templates/jinja2/checklists/sections.jinja), are what the Django template drew before:
people's text escaped the same, each status's badge, dates, owners and evidence counts
(whitespace aside)."""

import datetime
import re

from django.template import Context, Template

from accounts.models import User
from checklists.models import ChecklistItem, ItemStatus
from checklists.selectors import SectionProgress
from seir.jinja2 import render_fragment

HOSTILE = "<script>alert('x')</script> O'Brien & \"Sons\""

# The loop as templates/checklists/venture_checklist.html drew it with Django's templates.
DJANGO = (
    "{% load checklists_tags %}"
    + """    {% for section in sections %}
      <section class="mb-4 checklist-section" aria-labelledby="section-{{ forloop.counter }}">
        <div class="d-flex flex-wrap justify-content-between align-items-baseline gap-2">
          <h3 class="h5 mb-1" id="section-{{ forloop.counter }}">{{ section.name }}</h3>
          <span class="small">{{ section.done }} of {{ section.total }} done{% if section.overdue %} · <strong>{{ section.overdue }} overdue</strong>{% endif %}</span>
        </div>
        <progress class="checklist-progress w-100 mb-2" value="{{ section.done }}" max="{{ section.total }}" aria-label="{{ section.name }}: {{ section.done }} of {{ section.total }} done">{{ section.percent }}%</progress>
        <div class="table-responsive">
          {# Explicit roles keep the table's semantics when a phone lays its rows out as cards (seir.css). #}
          <table class="table table-sm align-middle mb-0 checklist-table" role="table">
            <caption class="visually-hidden">{{ section.name }} items</caption>
            <thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader">Item</th><th scope="col" role="columnheader">Status</th><th scope="col" role="columnheader">Owner</th><th scope="col" role="columnheader">Due</th><th scope="col" role="columnheader">Expires</th><th scope="col" role="columnheader">Evidence</th></tr></thead>
            <tbody role="rowgroup">
              {% for item in section.items %}
                <tr role="row" id="item-{{ item.pk }}"{% if item.overdue %} class="table-warning"{% endif %}>
                  <td role="cell" class="checklist-item-label"><a href="{% url 'checklists:item' item.pk %}" hx-get="{% url 'checklists:item' item.pk %}" hx-target="#venture-page" hx-select="#venture-page" hx-swap="outerHTML show:top" hx-push-url="true">{{ item.label }}</a>
                    {% if item.stage_code %}<span class="small text-body-secondary d-block">Gate: {{ item.stage_code }}</span>{% endif %}</td>
                  <td role="cell" data-label="Status"><span class="badge {{ item.status|status_badge }}">{{ item.get_status_display }}</span></td>
                  <td role="cell" data-label="Owner">{{ item.owner.display_name|default:"—" }}</td>
                  <td role="cell" data-label="Due">{% if item.due_date %}{{ item.due_date|date:"j M Y" }}{% if item.overdue %} <strong>overdue</strong>{% endif %}{% else %}—{% endif %}</td>
                  <td role="cell" data-label="Expires">{{ item.expires_on|date:"j M Y"|default:"—" }}</td>
                  <td role="cell" data-label="Evidence">{{ item.current_evidence|length }}</td>
                </tr>
              {% endfor %}
            </tbody>
          </table>
        </div>
      </section>
    {% empty %}
      <p>No items yet.</p>
    {% endfor %}
"""
)


def _words_and_tags(html: str) -> str:
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


def _item(pk, status, **fields):
    item = ChecklistItem(pk=pk, status=status, label=f"Item {pk} {HOSTILE}", **fields)
    item.overdue = fields.get("due_date") == datetime.date(2026, 1, 2)
    item.current_evidence = [object()] * (pk % 3)
    return item


def _sections():
    owner = User(username="ann", first_name="Ann", last_name="O'Neil & <b>")
    nameless = User(username="")
    first = SectionProgress(name=HOSTILE)
    first.items = [
        _item(n + 1, status, owner=owner if n % 2 else None, stage_code="startup" if n == 1 else "")
        for n, status in enumerate(ItemStatus.values)
    ]
    first.items += [
        _item(8, ItemStatus.RETURNED, due_date=datetime.date(2026, 1, 2)),
        _item(9, ItemStatus.ACCEPTED, due_date=datetime.date(2027, 3, 4), owner=nameless),
        _item(10, ItemStatus.EXPIRED, expires_on=datetime.date(2026, 12, 31)),
    ]
    second = SectionProgress(name="Governance")
    second.items = [_item(11, ItemStatus.NOT_APPLICABLE)]
    return [first, second]


def test_the_sections_are_drawn_as_the_django_template_drew_them():
    sections = _sections()

    jinja = render_fragment("checklists/sections.jinja", {"sections": sections})
    django = Template(DJANGO).render(Context({"sections": sections}))

    assert _words_and_tags(jinja) == _words_and_tags(django)
    assert "O&#x27;Brien &amp; &quot;Sons&quot;" in jinja and "<script>" not in jinja
    assert '<span class="badge text-bg-danger">Expired</span>' in jinja
    assert "2 Jan 2026 <strong>overdue</strong>" in jinja
    assert '<td role="cell" data-label="Expires">31 Dec 2026</td>' in jinja


def test_no_sections_says_so():
    html = render_fragment("checklists/sections.jinja", {"sections": []})
    assert _words_and_tags(html) == "<p>No items yet.</p>"
