"""Every event kind is registered with its template and renders escaped; the gate
migration is reversible; no read-only visibility is registered with ventures."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.template import Context, Template

from commissioning import services
from commissioning.events import EVENT_KINDS
from events.models import Event
from events.registry import get_kind
from ventures.models import DefaultStage, GateCondition

pytestmark = pytest.mark.django_db

_gate_migration = importlib.import_module("commissioning.migrations.0003_has_contract_gate")


def test_every_kind_is_registered_with_its_own_template():
    for code, label in EVENT_KINDS:
        kind = get_kind(f"commissioning.{code}")
        assert (kind.label, kind.template) == (label, f"commissioning/events/{code}.jinja")


def test_events_render_one_escaped_line(seir, venture, contact, priority):
    priority.title = "<script>alert(1)</script>"
    priority.save(update_fields=["title"])
    introduction = services.introduction_make(
        actor=seir, venture=venture, contact=contact, priority=priority, purpose="<b>hi</b>"
    )
    services.referral_move(actor=seir, referral=introduction, to_step="introduced", note="<i>")
    template = Template(
        "{% load events_tags %}{% for e in events %}{% render_event e %}|{% endfor %}"
    )
    html = template.render(
        Context({"events": Event.objects.filter(kind__startswith="commissioning.").order_by("id")})
    )
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    first, second, _ = html.split("|")
    assert "Introduced to Claire Evans at BEN PCT" in first
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in first
    assert "Requested → Introduced" in second


def test_the_gate_migration_is_reversible(programme):
    _gate_migration.remove(django_apps, None)
    assert not GateCondition.objects.filter(kind="has_contract").exists()
    assert all(i["kind"] != "has_contract" for d in DefaultStage.objects.all() for i in d.gate)
    _gate_migration.add(django_apps, None)
    _gate_migration.add(django_apps, None)  # idempotent
    assert (
        GateCondition.objects.filter(kind="has_contract", stage__programme=programme).count() == 1
    )
    pilot = DefaultStage.objects.get(code="pilot")
    assert [i["kind"] for i in pilot.gate].count("has_contract") == 1


def test_commissioning_grants_no_read_only_visibility_of_ventures():
    # issue 16, item 7: a grant opened the venture's own pages (gate, team, stage path,
    # history) to commissioners; they read the profile on the introduction instead
    from ventures.permissions import _read_only_visibility

    assert not [p for p in _read_only_visibility if p.__module__.startswith("commissioning")]
