"""Every role's key pages at desktop and phone width: no serious or critical axe-core violation, no sideways
scroll, exactly one current item in the main navigation, room between the content and the footer."""

import pytest

from tests.browser.conftest import WIDTHS, resize

C = "/c/riverside-tenants"
PAGES = {
    "visitor": [
        "/",
        "/account/login",
        C + "/campaigns/public/{campaign_slug}",
        C + "/stories/share/{campaign_slug}",
        C + "/stories/public",
        C + "/meetings/public/{public_meeting}",
    ],
    "member": [
        C + "/",
        C + "/campaigns/",
        C + "/stories/",
        C + "/stories/new",
        C + "/meetings/",
        C + "/meetings/{meeting}",
        C + "/decisions/",
        "/account/profile",
    ],
    "organizer": [
        C + "/",
        C + "/stories/",
        C + "/stories/{story}",
        C + "/meetings/{meeting}",
        C + "/meetings/new",
        C + "/stakeholders/",
        C + "/stakeholders/{stakeholder}",
        C + "/stakeholders/follow-ups",
        C + "/stakeholders/campaigns/{campaign}/map",
    ],
    "lead": [
        C + "/",
        C + "/members",
        C + "/settings",
        C + "/partners",
        C + "/audit",
        C + "/campaigns/{campaign}",
        C + "/campaigns/{campaign}/evidence",
    ],
}
FOOTER_GAP = """
    document.querySelector("footer").getBoundingClientRect().top
    - document.querySelector("main").lastElementChild.getBoundingClientRect().bottom
"""
CASES = [(role, path) for role, paths in PAGES.items() for path in paths]


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(("role", "path"), CASES, ids=[f"{role}:{path}" for role, path in CASES])
def test_key_page_is_accessible_fits_the_screen_and_marks_one_nav_item(page_as, live_site, role, path):
    page = page_as(role)
    response = page.goto(live_site.url(path.format(**live_site.ids)))
    assert response.status == 200, page.url
    for width in WIDTHS:
        resize(page, width)
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width} width"
        gap = page.evaluate(FOOTER_GAP)
        assert gap >= 24, f"{path}: the footer touches the content ({gap}px) at {width} width"
        if page.locator("nav.main-nav").count():
            assert page.locator("nav.main-nav [aria-current=page]").count() == 1
        assert serious_violations(page) == [], f"at {width} width"
