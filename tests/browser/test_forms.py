"""Failed forms announce their errors: the error summary is shown, has focus (with JavaScript and without), and its
links lead to the fields. The selected RSVP answer keeps a visible focus ring."""

import pytest

from tests.browser.conftest import WIDTHS

C = "/c/riverside-tenants"
FOCUSED_IS_SUMMARY = "document.activeElement && document.activeElement.matches('.error-summary')"


def assert_errors_announced(page, *field_ids):
    summary = page.locator(".error-summary")
    summary.wait_for(state="visible", timeout=10000)  # the click only starts the page's submission
    assert summary.get_attribute("role") == "alert"
    page.wait_for_function(FOCUSED_IS_SUMMARY, timeout=10000)  # autofocus runs at the next rendering update
    assert page.title().startswith("Error: ")
    links = [href.removeprefix("#") for href in summary.locator("a").evaluate_all("as => as.map(a => a.hash)")]
    for field_id in field_ids:
        assert field_id in links
    for field_id in links:
        assert page.locator(f"#{field_id}").count() == 1, f"the summary links to #{field_id}, which is not there"


@pytest.mark.parametrize("width", list(WIDTHS))
def test_failed_story_form_shows_the_error_summary_with_focus(page_as, live_site, width):
    page = page_as("member", width)
    page.goto(live_site.url(C + "/stories/new"))
    page.click("main form input[type=submit][name=submit]")
    assert_errors_announced(page, "title", "body")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_failed_visitor_rsvp_shows_the_error_summary_with_focus(page_as, live_site, width):
    page = page_as("visitor", width)
    page.goto(live_site.url(C + "/meetings/public/{public_meeting}".format(**live_site.ids)))
    page.click(".rsvp-buttons button[value=yes]")
    assert_errors_announced(page, "name", "email")


def test_error_summary_has_focus_without_javascript(browser, live_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_site.url(C + "/meetings/public/{public_meeting}".format(**live_site.ids)))
        page.click(".rsvp-buttons button[value=yes]")
        page.locator(".error-summary").wait_for(state="visible", timeout=10000)
        page.bring_to_front()  # autofocus is applied when a visible page renders; a background tab may wait
        page.wait_for_function(FOCUSED_IS_SUMMARY, timeout=10000)
    finally:
        context.close()


def test_error_summary_link_moves_focus_to_its_field(page_as, live_site):
    page = page_as("visitor", "phone")
    page.goto(live_site.url(C + "/meetings/public/{public_meeting}".format(**live_site.ids)))
    page.fill("#name", "Ana")
    page.fill("#email", "ana@example.org")
    page.click(".rsvp-needs summary")
    page.fill("#guests", "30")
    page.click(".rsvp-buttons button[value=maybe]")
    page.locator(".error-summary").wait_for(state="visible", timeout=10000)
    page.click(".error-summary a[href='#guests']")
    assert page.evaluate("document.activeElement.id") == "guests"


def test_selected_rsvp_answer_keeps_a_visible_focus_ring(page_as, live_site):
    page = page_as("member")
    page.goto(live_site.url(C + "/meetings/{meeting}".format(**live_site.ids)))
    page.click(".rsvp-buttons button[value=maybe]")
    selected = page.locator(".rsvp-buttons [aria-pressed=true][value=maybe]")
    selected.wait_for(timeout=10000)
    assert selected.get_attribute("value") == "maybe"
    page.keyboard.press("Shift+Tab")  # keyboard focus, so that :focus-visible applies
    page.keyboard.press("Tab")
    selected.focus()
    ring = selected.evaluate("b => [getComputedStyle(b).outlineStyle, getComputedStyle(b).outlineColor]")
    plain = page.locator(".rsvp-buttons button[value=yes]")
    plain.focus()
    assert ring == plain.evaluate("b => [getComputedStyle(b).outlineStyle, getComputedStyle(b).outlineColor]")
    assert ring[0] != "none"
