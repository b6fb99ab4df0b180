"""Stakeholders and outreach: people in power, campaign targets and stance, outreach log, follow-ups, power map."""

from flask import Flask

from coalition.core.dashboard import register_panel
from coalition.core.demo import register_demo_seeder
from coalition.core.personal_data import register_personal_data
from coalition.core.scoping import coalition_blueprint

bp = coalition_blueprint("stakeholders", __name__)

from coalition.stakeholders import (  # noqa: E402
    cli,
    demo,
    followups,
    personal,
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
    register_personal_data("outreach", exporter=personal.export_outreach)
    register_personal_data("stakeholders", eraser=personal.erase_outreach_links)
    register_demo_seeder("stakeholders", 40, demo.seed_stakeholders)
