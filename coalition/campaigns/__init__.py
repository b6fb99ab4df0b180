"""Campaigns: what a coalition is fighting for, its storyteller questions, updates and followers."""

from flask import Flask

from coalition.core.dashboard import register_panel
from coalition.core.demo import register_demo_seeder
from coalition.core.permissions import register_object_rules
from coalition.core.personal_data import register_personal_data
from coalition.core.scoping import coalition_blueprint

bp = coalition_blueprint("campaigns", __name__)

from coalition.campaigns import demo, hooks, rules, tallies, views  # noqa: E402

#: The modules whose routes (and commands) `bp` carries.
ROUTE_MODULES = (views,)


def register(app: Flask) -> None:
    """Register the campaign pages, rules, dashboard panel, kept tallies, personal data and demo seeder."""
    app.register_blueprint(bp)
    tallies.keep_campaign_tallies()
    register_object_rules(rules.OBJECT_RULES)
    register_panel(10, "campaigns/_dashboard_panel.html", hooks.active_campaigns_panel)
    register_personal_data(
        "campaign_follows", exporter=hooks.export_campaign_follows, eraser=hooks.erase_campaign_follows
    )
    register_demo_seeder("campaigns", 10, demo.seed_campaigns)
