"""Exactly one item of the main navigation is marked as the current page."""

import re

import pytest

from coalition.core.navigation import current_item

NAV = ["coalitions.dashboard", "stakeholders.index", "stakeholders.follow_ups", "coalitions.members"]


def _current(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Coalition" class="main-nav">.*?</nav>', html, re.S).group(0)
    return re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', nav)


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "Dashboard"),
        ("/stakeholders/", "Stakeholders"),
        ("/stakeholders/new", "Stakeholders"),
        ("/stakeholders/follow-ups", "Follow-ups"),
        ("/stakeholders/follow-ups?section=overdue", "Follow-ups"),
        ("/members", "People"),
        ("/members/invite", "People"),
        ("/partners/new", "Partners"),
    ],
)
def test_one_main_nav_item_is_current(as_role, coalition, path, current):
    client, _ = as_role("lead")
    assert _current(client.get(f"/c/{coalition.slug}{path}").get_data(as_text=True)) == [current]


def test_a_page_belongs_to_the_longest_menu_entry_it_extends_else_its_blueprints_index():
    assert current_item(NAV, "stakeholders.follow_ups") == "stakeholders.follow_ups"
    assert current_item(NAV, "stakeholders.follow_ups_section") == "stakeholders.follow_ups"
    assert current_item(NAV, "stakeholders.detail") == "stakeholders.index"
    assert current_item(NAV, "coalitions.invite") is None
    assert current_item(NAV, "coalitions.invite", {"coalitions.members": ["coalitions.invite"]}) == "coalitions.members"
    assert current_item(NAV, None) is None
