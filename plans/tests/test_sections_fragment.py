"""The plan's draft sections, drawn by a Jinja2 fragment
(templates/jinja2/plans/sections.jinja), are what the Django template
``plans/partials/section_view.html`` drew before: the edit link for those who may write,
the saved note, the changed badge, people's text escaped and their Markdown sanitised
(whitespace aside)."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone

from accounts.models import User
from plans.models import DraftSection, PlanTemplateSection
from plans.selectors import DraftRow
from seir.jinja2 import render_fragment

HOSTILE = "<script>alert('x')</script> O'Brien & \"Sons\""

# plans/partials/section_view.html as it was, for each row.
DJANGO = (
    "{% for row in rows %}"
    + """{% load plans_tags %}<article class="card mb-3 plan-section" id="section-{{ row.section.code }}" aria-labelledby="section-{{ row.section.code }}-title">
  <div class="card-body">
    <div class="d-flex flex-wrap justify-content-between align-items-start gap-2">
      <h3 class="h6 mb-1" id="section-{{ row.section.code }}-title">{{ row.section.order }}. {{ row.section.title }}</h3>
      {% if rights.write %}
        <a class="btn btn-sm btn-outline-primary" href="{% url 'plans:section_edit' venture.pk row.section.code %}"
           hx-get="{% url 'plans:section_edit' venture.pk row.section.code %}" hx-target="#section-{{ row.section.code }}" hx-swap="outerHTML">Edit<span class="visually-hidden"> {{ row.section.title }}</span></a>
      {% endif %}
    </div>
    {% if saved_note %}<p class="small text-success mb-1" role="status">{{ saved_note }}</p>{% endif %}
    {% if row.changed_since_submitted %}<p class="small mb-1"><span class="badge text-bg-warning">Changed since the last version</span></p>{% endif %}
    {% if row.body.strip %}
      <div class="plan-text">{{ row.body|plan_markdown }}</div>
      {% if row.draft.updated_at %}<p class="small text-body-secondary mb-0">Last saved {{ row.draft.updated_at|date:"j M Y, H:i" }} by {{ row.draft.updated_by|default:"—" }}</p>{% endif %}
    {% else %}
      <p class="text-body-secondary mb-1">Not written yet.</p>
    {% endif %}
    <details class="small mt-2"><summary>Guidance</summary><p class="mb-0 mt-1">{{ row.section.guidance }}</p></details>
  </div>
</article>
"""
    + "{% endfor %}"
)


def _words_and_tags(html: str) -> str:
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


def _rows():
    author = User(username="ann", first_name="Ann", last_name=HOSTILE)
    saved = timezone.make_aware(datetime.datetime(2026, 11, 3, 9, 5))
    rows = []
    for n, body in enumerate(
        ["## Money\n\n**Year 1** " + HOSTILE, "   ", "", "Plain [link](javascript:x)"]
    ):
        section = PlanTemplateSection(
            code=f"s{n}", order=n + 1, title=f"Title {n} {HOSTILE}", guidance=HOSTILE
        )
        draft = (
            DraftSection(
                body=body,
                updated_at=saved if n != 3 else None,
                updated_by=author if n == 0 else None,
            )
            if body
            else None
        )
        if draft is not None:
            draft.render_body()  # as saving it does
        rows.append(
            DraftRow(section=section, draft=draft, submitted_body="old" if n == 0 else None)
        )
    return rows


@pytest.mark.parametrize("write", [True, False])
@pytest.mark.parametrize("saved_note", ["", "Saved <now>."])
def test_the_sections_are_drawn_as_the_django_template_drew_them(write, saved_note):
    context = {
        "rows": _rows(),
        "venture": SimpleNamespace(pk=42),
        "rights": SimpleNamespace(write=write),
        "saved_note": saved_note,
    }

    jinja = render_fragment("plans/sections.jinja", context)
    django = Template(DJANGO).render(Context(context))

    assert _words_and_tags(jinja) == _words_and_tags(django)
    assert ('href="/ventures/42/plan/sections/s0/"' in jinja) is write
    assert "<script>" not in jinja and "javascript:" not in jinja
    assert "Last saved 3 Nov 2026, 09:05 by Ann " in jinja


def test_one_saved_row_is_drawn_alone():
    row = _rows()[0]
    html = render_fragment(
        "plans/sections.jinja",
        {"row": row, "venture": SimpleNamespace(pk=42), "rights": SimpleNamespace(write=True)},
    )
    assert html.count("<article") == 1 and 'id="section-s0"' in html
