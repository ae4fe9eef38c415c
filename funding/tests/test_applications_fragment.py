"""The funding tab's applications, drawn by a Jinja2 fragment
(templates/jinja2/funding/applications.jinja), are what the Django template drew before:
people's text escaped the same, amounts, sizes and dates formatted the same, the
document and status forms with their errors and what was typed (whitespace aside); and
the tab's totals, worked out from the applications it has read, are the database's."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Q, Sum
from django.urls import reverse

from checklists.factories import pdf_upload
from funding import selectors, services
from funding.forms import DocumentForm, StatusForm
from funding.models import Fund, FundingApplication
from funding.views import _tab_context
from tests.fragments import both, tab_context

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> O'Brien & \"Sons\""

# The loop as templates/funding/venture_funding.html drew it with Django's templates
# (with the documents it read through ``a.files.all``, now ``a.document_files``).
DJANGO = (
    "{% load crispy_plain %}"
    + """  {% for a in applications %}
    <article class="card mb-3" id="app-{{ a.pk }}" aria-labelledby="app-{{ a.pk }}-title">
      <div class="card-body">
        <div class="d-flex flex-wrap justify-content-between gap-2">
          <h3 class="h5 mb-1" id="app-{{ a.pk }}-title">{{ a.fund }} <span class="badge text-bg-secondary">{{ a.get_status_display }}</span></h3>
          {% if a.next_statuses %}<a class="btn btn-sm btn-outline-primary" href="{% url 'funding:edit' a.pk %}">Edit<span class="visually-hidden"> the application to {{ a.fund.name }}</span></a>{% endif %}
        </div>
        <p class="mb-2">{{ a.purpose }}</p>
        <dl class="row small mb-2">
          <dt class="col-sm-4">Type</dt><dd class="col-sm-8">{{ a.get_funding_type_display }}</dd>
          <dt class="col-sm-4">Requested</dt><dd class="col-sm-8">£{{ a.amount_requested|floatformat:"2g" }}</dd>
          {% if a.amount_awarded is not None %}<dt class="col-sm-4">Awarded</dt><dd class="col-sm-8">£{{ a.amount_awarded|floatformat:"2g" }}</dd>{% endif %}
          {% if a.deadline %}<dt class="col-sm-4">Deadline</dt><dd class="col-sm-8">{{ a.deadline|date:"j M Y" }}</dd>{% endif %}
          {% if a.submitted_on %}<dt class="col-sm-4">Submitted</dt><dd class="col-sm-8">{{ a.submitted_on|date:"j M Y" }}</dd>{% endif %}
          {% if a.decision_date %}<dt class="col-sm-4">Decision</dt><dd class="col-sm-8">{{ a.decision_date|date:"j M Y" }}</dd>{% endif %}
          {% if a.notes %}<dt class="col-sm-4">Notes</dt><dd class="col-sm-8 prewrap">{{ a.notes }}</dd>{% endif %}
          {% if a.document_links %}<dt class="col-sm-4">Documents</dt><dd class="col-sm-8"><ul class="list-unstyled mb-0">{% for link in a.document_links %}<li><a href="{{ link }}" rel="noopener noreferrer nofollow">{{ link|truncatechars:70 }}</a></li>{% endfor %}</ul></dd>{% endif %}
        </dl>
        {% if can_read_documents %}
          <h4 class="h6">Documents</h4>
          <ul class="list-unstyled small">
            {% for d in a.document_files %}
              <li><a href="{% url 'funding:document' d.pk %}">{{ d.original_name }}</a> ({{ d.size|filesizeformat }}, {{ d.uploaded_at|date:"j M Y" }})</li>
            {% empty %}
              <li>No documents attached.</li>
            {% endfor %}
          </ul>
          {% if a.document_form %}
            <form method="post" action="{% url 'funding:document_upload' a.pk %}" enctype="multipart/form-data" class="mb-3" novalidate>{% csrf_token %}
              {% crispy_plain a.document_form %}
              <button type="submit" class="btn btn-sm btn-outline-primary">Attach<span class="visually-hidden"> a document to the application to {{ a.fund.name }}</span></button>
            </form>
          {% endif %}
        {% endif %}
        {% if a.status_form %}
          <details{% if a.status_form.errors %} open{% endif %}>
            <summary>Change status<span class="visually-hidden"> of the application to {{ a.fund.name }}</span></summary>
            <form method="post" action="{% url 'funding:status' a.pk %}" class="mt-2" novalidate>{% csrf_token %}
              {% crispy_plain a.status_form %}
              <button type="submit" class="btn btn-sm btn-primary">Save status</button>
            </form>
          </details>
        {% endif %}
      </div>
    </article>
  {% empty %}
    <p>No funding applications yet.</p>
  {% endfor %}
"""
)


def _both(context) -> tuple[str, str]:
    return both(DJANGO, "funding/applications.jinja", context)


@pytest.fixture
def applications(seir, venture):
    drafting = services.application_create(
        actor=seir,
        venture=venture,
        fund=Fund.objects.get(code="rif"),
        purpose=f"Pilot {HOSTILE}",
        amount_requested=Decimal("1234567.5"),
        deadline=datetime.date(2027, 3, 9),
        notes=f"Line one\n{HOSTILE}",
        documents="https://example.org/bid?a=1&b=<2>\n" + "https://example.org/" + "x" * 90,
    )
    services.document_add(actor=seir, application=drafting, upload=pdf_upload(f"bid {HOSTILE}.pdf"))
    awarded = services.application_create(
        actor=seir,
        venture=venture,
        fund=Fund.objects.get(code="seif"),
        purpose="Coaches",
        amount_requested=Decimal("15000"),
    )
    services.application_set_status(
        actor=seir, application=awarded, to_status="submitted", on=datetime.date(2026, 10, 1)
    )
    services.application_set_status(
        actor=seir,
        application=awarded,
        to_status="awarded",
        on=datetime.date(2026, 11, 2),
        amount_awarded=Decimal("12000.25"),
    )
    return drafting, awarded


def _context(user, venture, **kwargs):
    return tab_context(_tab_context, user, venture, csrf_token="TOKEN-" + HOSTILE, **kwargs)


@pytest.mark.parametrize("who", ["seir", "manager", "entrepreneur"])
def test_the_applications_are_drawn_as_the_django_template_drew_them(
    request, who, venture, applications
):
    user = request.getfixturevalue(who)
    django, jinja = _both(_context(user, venture))
    assert jinja == django
    assert "Pilot &lt;script&gt;alert(&#x27;x&#x27;)" in jinja
    assert "£1,234,567.50" in jinja and "£12,000.25" in jinja
    assert ("Attach<span" in jinja) is (who != "manager")


def test_no_application_draws_as_the_django_template_drew_it(seir, venture):
    django, jinja = _both(_context(seir, venture))
    assert jinja == django == "<p>No funding applications yet.</p>"


def test_refused_forms_are_drawn_as_the_django_template_drew_them(seir, venture, applications):
    drafting, _ = applications
    upload = DocumentForm({}, {}, prefix=f"d{drafting.pk}")
    upload.is_valid()
    status = StatusForm(
        {f"a{drafting.pk}-to_status": "awarded", f"a{drafting.pk}-note": HOSTILE},
        application=drafting,
        statuses=("submitted", "withdrawn"),
        prefix=f"a{drafting.pk}",
    )
    status.is_valid()
    status.add_error(None, f"Changed meanwhile {HOSTILE}")

    context = _context(
        seir, venture, failed_upload=(drafting.pk, upload), failed_status=(drafting.pk, status)
    )
    django, jinja = _both(context)

    assert jinja == django
    assert "<details open>" in jinja
    assert "Changed meanwhile &lt;script&gt;" in jinja


def test_the_tab_totals_are_the_databases(seir, venture, applications):
    drafting, _ = applications
    services.application_set_status(actor=seir, application=drafting, to_status="submitted")
    listed = selectors.application_list_for_venture(venture=venture)

    # The database's own sums, by the statuses the tab's totals count.
    sums = FundingApplication.objects.filter(venture=venture).aggregate(
        applied=Sum("amount_requested", filter=Q(status__in=selectors.APPLIED)),
        pending=Sum("amount_requested", filter=Q(status__in=selectors.PENDING)),
        awarded=Sum("amount_awarded", filter=Q(status="awarded")),
    )
    totals = selectors.funding_totals_of(applications=listed)
    assert (totals.applied, totals.pending, totals.awarded) == (
        sums["applied"],
        sums["pending"],
        sums["awarded"],
    )
    assert (totals.applied, totals.pending, totals.awarded) == (
        Decimal("1249567.50"),
        Decimal("1234567.50"),
        Decimal("12000.25"),
    )
    assert (totals.applications, totals.awards) == (2, 1)
    assert selectors.funding_totals_of(applications=[]) == selectors.Totals()


def test_each_application_lists_only_its_own_documents(seir, venture, applications):
    drafting, awarded = applications
    services.document_add(actor=seir, application=awarded, upload=pdf_upload("letter.pdf"))

    listed = {a.pk: a for a in selectors.application_list_for_venture(venture=venture)}

    assert [d.original_name for d in listed[drafting.pk].document_files] == [
        drafting.files.get().original_name
    ]
    assert [d.original_name for d in listed[awarded.pk].document_files] == ["letter.pdf"]
    assert all(a.venture is venture for a in listed.values())


def test_a_fund_retired_is_no_longer_offered_on_the_next_visit(client, seir, venture):
    client.force_login(seir)
    url = reverse("funding:venture", args=[venture.pk])
    rif = Fund.objects.get(code="rif")
    assert f'<option value="{rif.pk}">' in client.get(url).content.decode()

    rif.is_active = False
    rif.save()

    page = client.get(url).content.decode()
    assert f'<option value="{rif.pk}"' not in page
    assert f'<option value="{Fund.objects.get(code="seif").pk}">' in page
