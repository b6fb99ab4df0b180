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
        ("/campaigns/new", "Campaigns"),
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


def test_every_coalition_page_of_the_demo_marks_exactly_one_nav_item(app, db):
    from sqlalchemy import select

    from coalition.campaigns.models import Campaign
    from coalition.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SLUG
    from coalition.meetings.models import Meeting
    from coalition.stakeholders.models import Stakeholder
    from coalition.stories.models import Story

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    ids = {
        "campaign_id": db.session.scalar(select(Campaign.id).order_by(Campaign.id)),
        "meeting_id": db.session.scalar(select(Meeting.id).order_by(Meeting.id)),
        "stakeholder_id": db.session.scalar(select(Stakeholder.id).order_by(Stakeholder.id)),
        "story_id": db.session.scalar(select(Story.id).order_by(Story.id)),
    }
    client = app.test_client()
    client.post("/account/login", data={"email": DEMO_ACCOUNTS["lead"][0], "password": DEMO_PASSWORD})
    checked, wrong = 0, []
    for rule in app.url_map.iter_rules():
        args = set(rule.arguments) - {"coalition_slug"}
        if not rule.rule.startswith("/c/<coalition_slug>/") or "GET" not in rule.methods or not args <= set(ids):
            continue
        if rule.rule.endswith((".csv", ".ics", ".vcf")) or "/public" in rule.rule or "/share/" in rule.rule:
            continue
        path = rule.build({"coalition_slug": DEMO_SLUG, **{name: ids[name] for name in args}}, append_unknown=False)[1]
        response = client.get(path)
        if response.status_code != 200:
            continue
        if len(_current(response.get_data(as_text=True))) != 1:
            wrong.append(path)
        checked += 1
    assert wrong == []
    assert checked >= 30
