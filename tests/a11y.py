"""Accessibility checks for browser tests: axe-core run inside the page (works offline)."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()

# axe cannot filter by impact itself, so the filtering happens here.
FAILING_IMPACTS = ("serious", "critical")


def assert_accessible(page, impacts=FAILING_IMPACTS) -> None:
    """Fail when axe finds a violation of one of ``impacts`` on the current page."""
    __tracebackhide__ = True
    # Judge the page at rest: not a button left hovered under the pointer by the last
    # click, half-way through Bootstrap's colour transition (0.15 s), which axe reads as
    # low contrast.
    page.mouse.move(0, 0)
    page.wait_for_timeout(200)
    response = _axe.run(page, options={"resultTypes": ["violations"]}).response
    bad = [v for v in response["violations"] if v["impact"] in impacts]
    assert not bad, f"{len(bad)} accessibility violation(s) on {page.url}:\n" + "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']]}"
        for v in bad
    )


# Controls smaller than 24×24 CSS px (WCAG 2.2 AA 2.5.8), leaving out inline links in
# running text (2.5.8's "inline" exception), checkboxes and radios whose label is part of
# the target, and anything hidden.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'main button, main input:not([type=hidden]), main select, main textarea, main a.btn,'
    + ' nav button, nav a.nav-link, .navbar-brand')]
  .filter(el => el.offsetParent !== null)
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, r]) => r.width > 0 && (r.width < 24 || r.height < 24)
    && !((el.type === 'checkbox' || el.type === 'radio') && el.labels && el.labels.length))
  .map(([el, r]) => `${el.outerHTML.slice(0, 80)} ${Math.round(r.width)}x${Math.round(r.height)}`)"""


def assert_targets_large_enough(page) -> None:
    """Fail when a control on the current page is smaller than 24×24 CSS px."""
    __tracebackhide__ = True
    small = page.evaluate(SMALL_TARGETS)
    assert small == [], f"targets under 24×24 px on {page.url}:\n" + "\n".join(small)
