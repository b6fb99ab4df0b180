"""Stakeholders and outreach: people in power, campaign targets and stance, outreach log, follow-ups, power map."""

from flask import Flask

from coalition.campaigns.providers import register_provider, register_source
from coalition.core.dashboard import register_panel
from coalition.core.demo import register_demo_seeder
from coalition.core.personal_data import register_personal_data
from coalition.core.scoping import coalition_blueprint

bp = coalition_blueprint("stakeholders", __name__)

from coalition.stakeholders import (  # noqa: E402
    cli,
    demo,
    followups,
    momentum,
    personal,
    tallies,
    views,
    views_outreach,
    views_packets,
    views_targets,
)

#: The modules whose routes (and commands) `bp` carries.
ROUTE_MODULES = (views, views_targets, views_outreach, views_packets, cli)


def register(app: Flask) -> None:
    """Register the stakeholder pages and commands, the follow-up panel, personal data and demo seeder."""
    app.register_blueprint(bp)
    register_panel(40, "stakeholders/_dashboard_panel.html", followups.follow_up_panel)
    register_panel(
        55, "stakeholders/_dashboard_panel_outreach.html", momentum.outreach_panel, action="coalition.manage"
    )
    register_provider("stance_counts", momentum.stance_counts)
    register_provider("outreach_by_month", momentum.outreach_by_month)
    register_source("timeline", "stances", momentum.stance_timeline)
    register_source("timeline", "packets", momentum.packet_timeline)
    register_source("last_activity", "outreach", momentum.last_activity)
    register_source("tallies", "stakeholders", tallies.TALLIES)
    register_personal_data("outreach", exporter=personal.export_outreach)
    register_personal_data("stakeholders", eraser=personal.erase_outreach_links)
    register_demo_seeder("stakeholders", 40, demo.seed_stakeholders)
