"""Tabs of the venture page: the seam through which other apps add a page to a venture.

The overview is ventures' own tab. Later apps (checklists, business plans, funding,
outcomes...) register a tab from AppConfig.ready(), with the URL name of their page
(which takes the venture's ``pk``) and who may see it, so ventures never imports them.
Each tab's page extends ``ventures/venture_base.html`` and gets its context from
``venture_page_context``; the tab bar swaps the page below the breadcrumb with htmx and pushes
the URL, and every tab is also a plain link that works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from seir.links import link

from .permissions import VentureAccess, can_see_activity_log
from .selectors import with_relations


def _viewers(user, venture, access: VentureAccess) -> bool:
    return access.view


@dataclass(frozen=True)
class VentureTab:
    code: str
    label: str
    url_name: str
    order: int = 100
    # visible(user, venture, access) -> bool; by default everyone who can see the venture.
    visible: Callable[..., bool] = _viewers


_tabs: dict[str, VentureTab] = {}


def register_tab(tab: VentureTab) -> VentureTab:
    _tabs[tab.code] = tab
    return tab


def tabs_for(user, venture, access: VentureAccess) -> list[dict]:
    """The tabs ``user`` may open on ``venture``, in order, with their URLs."""
    return [
        {"code": tab.code, "label": tab.label, "url": link(tab.url_name, venture.pk)}
        for tab in sorted(_tabs.values(), key=lambda t: (t.order, t.label))
        if tab.visible(user, venture, access)
    ]


def venture_page_context(request, venture, access: VentureAccess, *, tab: str) -> dict:
    """What ``ventures/venture_base.html`` needs: the venture, the access, the tab bar."""
    with_relations(venture=venture)
    return {
        "venture": venture,
        "access": access,
        "tabs": tabs_for(request.user, venture, access),
        "current_tab": tab,
    }


register_tab(VentureTab(code="overview", label="Overview", url_name="ventures:detail", order=0))
register_tab(
    VentureTab(
        code="activity",
        label="Activity log",
        url_name="ventures:activity",
        order=900,
        visible=lambda user, venture, access: can_see_activity_log(user, venture, access),
    )
)
