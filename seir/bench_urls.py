"""URLs for the benchmark only (seir.settings.bench): the project's routes plus a
reference page that every pipeline page is compared with in the same run.

The reference is the cheapest honest page: one indexed query for 50 rows, rendered
in a table on the project's base template, behind the same middleware and sign-in.
"""

from django.template import engines
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_GET

from ventures.models import Venture

from .urls import urlpatterns as project_urlpatterns

REFERENCE_ROWS = 50

_TEMPLATE = engines["django"].from_string(
    """{% extends "base.html" %}
{% block title %}Reference{% endblock %}
{% block content %}
<h1>Reference page</h1>
<table class="table">
  <caption class="visually-hidden">The first {{ rows|length }} ventures</caption>
  <thead><tr><th scope="col">#</th><th scope="col">Venture</th><th scope="col">Area</th></tr></thead>
  <tbody>
  {% for row in rows %}<tr><td>{{ row.pk }}</td><td>{{ row.name }}</td><td>{{ row.area }}</td></tr>
  {% endfor %}
  </tbody>
</table>
{% endblock %}"""
)


@require_GET
def reference(request):
    # The primary key index answers this: one indexed query, 50 rows.
    rows = list(Venture.objects.order_by("pk").values("pk", "name", "area")[:REFERENCE_ROWS])
    return TemplateResponse(request, _TEMPLATE, {"rows": rows})


urlpatterns = [
    path("bench/reference/", reference, name="bench_reference"),
    *project_urlpatterns,
]

handler500 = "seir.errors.server_error"
