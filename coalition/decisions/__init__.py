"""Decisions: members decide together — proposals, polls, scores, ranked choice, time polls — and check-ins."""

from flask import Flask

from coalition.campaigns.providers import register_source
from coalition.core.dashboard import register_panel
from coalition.core.demo import register_demo_seeder
from coalition.core.permissions import register_object_rules
from coalition.core.personal_data import register_personal_data
from coalition.core.scoping import coalition_blueprint
from coalition.core.sections import register_section

bp = coalition_blueprint("decisions", __name__)

from coalition.decisions import (  # noqa: E402
    cli,
    demo,
    momentum,
    personal,
    rules,
    views,
    views_manage,
)

#: The modules whose routes (and commands) `bp` carries.
ROUTE_MODULES = (views, views_manage, cli)


def register(app: Flask) -> None:
    """Register the decision pages and commands, rules, dashboard panel, page sections, personal data and demo."""
    app.register_blueprint(bp)
    register_object_rules(rules.OBJECT_RULES)
    register_panel(35, "decisions/_dashboard_panel.html", personal.decisions_panel)
    register_panel(60, "decisions/_dashboard_panel_turnout.html", momentum.turnout_panel, action="coalition.manage")
    register_source("reach", "decisions", momentum.REACH)
    register_source("timeline", "decisions", momentum.timeline_rows)
    register_source("last_activity", "decisions", momentum.last_activity)
    register_section("campaigns.show", 50, "decisions/_campaign_section.html", personal.campaign_section)
    register_section("meetings.show", 50, "decisions/_meeting_section.html", personal.meeting_section)
    register_personal_data("decisions", exporter=personal.export_decisions, eraser=personal.erase_decisions)
    register_demo_seeder("decisions", 40, demo.seed_decisions)
