"""The venture page's tab seam: other apps add tabs; each shows only to those allowed."""

import pytest
from django.urls import reverse

from ventures import tabs

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_tab(monkeypatch):
    # Only ventures' own tab plus this one: other apps' tabs are theirs to test.
    monkeypatch.setattr(tabs, "_tabs", {"overview": tabs._tabs["overview"]})
    return tabs.register_tab(
        tabs.VentureTab(
            code="secret",
            label="Staff tab",
            url_name="ventures:edit",  # any route taking the venture's pk
            order=50,
            visible=lambda user, venture, access: access.manage,
        )
    )


def test_a_registered_tab_shows_to_those_it_allows(client, seir, venture, staff_tab):
    client.force_login(seir)
    html = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()
    assert 'aria-label="Venture sections"' in html
    assert f'href="{reverse("ventures:edit", args=[venture.pk])}"' in html
    assert ">Staff tab</a>" in html
    assert 'aria-current="page"' in html.split(">Overview</a>")[0].rsplit("<a", 1)[1]


def test_a_registered_tab_is_hidden_from_those_it_does_not_allow(
    client, entrepreneur, venture, staff_tab
):
    client.force_login(entrepreneur)
    html = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()
    assert "Staff tab" not in html
    # one tab alone is no tab bar
    assert 'aria-label="Venture sections"' not in html


def test_tabs_come_in_order(rf, seir, venture, staff_tab):
    from ventures.permissions import venture_access

    codes = [t["code"] for t in tabs.tabs_for(seir, venture, venture_access(seir, venture))]
    assert codes == ["overview", "secret"]
