"""Matching: open priorities for a venture, ventures for a priority (exact results)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from commissioning import selectors, services
from commissioning.factories import PriorityFactory, WindowFactory
from commissioning.models import VentureFocus
from ventures.factories import VentureFactory
from ventures.models import VentureStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(seir, programme, ben_pct, council, domains, areas, days_ago):
    """Priorities in every combination of fit and window state."""
    p = {}
    p["domain_open"] = PriorityFactory(
        commissioner=ben_pct, title="A domain open", domain=domains[2]
    )
    WindowFactory(priority=p["domain_open"], opens=days_ago(10), closes=days_ago(-10))
    p["area_open"] = PriorityFactory(
        commissioner=council,
        title="B area open",
        domain=domains[1],
        service_area=areas["mental-health"],
    )
    WindowFactory(priority=p["area_open"], opens=days_ago(0), closes=days_ago(0))
    p["domain_closed"] = PriorityFactory(commissioner=ben_pct, title="C closed", domain=domains[2])
    WindowFactory(priority=p["domain_closed"], opens=days_ago(30), closes=days_ago(1))
    p["domain_future"] = PriorityFactory(commissioner=ben_pct, title="D future", domain=domains[2])
    WindowFactory(priority=p["domain_future"], opens=days_ago(-1), closes=days_ago(-30))
    p["no_window"] = PriorityFactory(commissioner=ben_pct, title="E no window", domain=domains[2])
    p["other_fit"] = PriorityFactory(
        commissioner=ben_pct, title="F other domain", domain=domains[5]
    )
    WindowFactory(priority=p["other_fit"])
    p["inactive"] = PriorityFactory(
        commissioner=ben_pct, title="G retired", domain=domains[2], is_active=False
    )
    WindowFactory(priority=p["inactive"])
    return p


def focus(seir, venture, domains=(), service_areas=()):
    services.venture_focus_set(
        actor=seir, venture=venture, domains=domains, service_areas=service_areas
    )


def test_open_priorities_that_fit_the_venture(seir, venture, setup, domains, areas):
    focus(seir, venture, domains=[domains[2]], service_areas=[areas["mental-health"]])
    matches = selectors.priorities_matching_venture(venture=venture)
    assert [(p.title, p.matches_domain, p.matches_area) for p in matches] == [
        ("B area open", False, True),
        ("A domain open", True, False),
    ]


def test_no_focus_no_matches(venture, setup):
    assert selectors.priorities_matching_venture(venture=venture) == []


def test_windows_are_judged_on_the_given_day(seir, venture, setup, domains, days_ago):
    focus(seir, venture, domains=[domains[2]])
    titles = [
        p.title for p in selectors.priorities_matching_venture(venture=venture, today=days_ago(-1))
    ]
    assert titles == ["A domain open", "D future"]


def test_the_prepared_query_runs_again_with_each_focus_and_day(
    seir, venture, setup, domains, areas, days_ago
):
    def titles(today=None):
        return [
            p.title for p in selectors.priorities_matching_venture(venture=venture, today=today)
        ]

    focus(seir, venture, service_areas=[areas["mental-health"]])
    assert titles() == ["B area open"]
    focus(seir, venture, domains=[domains[2]])
    assert titles() == ["A domain open"]
    assert titles(days_ago(-1)) == ["A domain open", "D future"]
    focus(seir, venture, domains=[domains[2], domains[5]], service_areas=[areas["mental-health"]])
    assert titles() == ["B area open", "A domain open", "F other domain"]


def test_ventures_that_fit_a_priority(
    seir, programme, venture, setup, domains, areas, other_venture
):
    focus(seir, venture, domains=[domains[2]])
    focus(seir, other_venture, service_areas=[areas["mental-health"]])
    closed = VentureFactory(
        programme=programme, name="Closed one", seir=seir, status=VentureStatus.CLOSED
    )
    focus(seir, closed, domains=[domains[2]])
    assert list(selectors.ventures_matching_priority(user=seir, priority=setup["domain_open"])) == [
        venture
    ]
    assert list(selectors.ventures_matching_priority(user=seir, priority=setup["area_open"])) == [
        other_venture
    ]
    assert list(selectors.ventures_matching_priority(user=seir, priority=setup["other_fit"])) == []


def test_ventures_that_fit_are_only_those_the_user_sees(
    seir, venture, setup, domains, council_user
):
    focus(seir, venture, domains=[domains[2]])
    assert (
        list(selectors.ventures_matching_priority(user=council_user, priority=setup["domain_open"]))
        == []
    )


def test_focus_changes_record_one_event_and_only_when_changed(seir, venture, domains, events):
    focus(seir, venture, domains=[domains[2]])
    focus(seir, venture, domains=[domains[2]])
    assert events(venture_id=venture.pk) == ["commissioning.focus_updated"]
    assert list(VentureFocus.objects.get(venture=venture).domains.all()) == [domains[2]]


def test_the_seir_and_team_set_the_focus_but_not_managers_or_commissioners(
    manager, commissioner_user, contact, entrepreneur, venture, domains
):
    for actor in (manager, commissioner_user):
        with pytest.raises(PermissionDenied):
            focus(actor, venture, domains=[domains[1]])
    assert not VentureFocus.objects.exists()
    focus(entrepreneur, venture, domains=[domains[1]])
    assert list(VentureFocus.objects.get(venture=venture).domains.all()) == [domains[1]]


def test_windows_must_close_after_they_open(seir, priority):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.window_add(
            actor=seir,
            priority=priority,
            opens=datetime.date(2026, 5, 1),
            closes=datetime.date(2026, 4, 1),
            route="tender",
        )
    assert refused.value.message_dict["closes"] == ["A window cannot close before it opens."]
