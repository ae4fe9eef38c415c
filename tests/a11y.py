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
