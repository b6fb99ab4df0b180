"""Meetings: scheduling, RSVPs with needs and a waitlist, calendars, reminders, and what happens after."""

from flask import Blueprint, Flask

from coalition.campaigns.providers import register_provider, register_source
from coalition.core.dashboard import register_panel
from coalition.core.demo import register_demo_seeder
from coalition.core.permissions import register_object_rules
from coalition.core.personal_data import register_personal_data
from coalition.core.scoping import coalition_blueprint
from coalition.stakeholders.meetinglink import register_meeting_finder

bp = coalition_blueprint("meetings", __name__)
#: The private calendar feeds, under the same addresses but outside `bp`: a feed loads its coalition itself.
feeds_bp = Blueprint("meeting_feeds", __name__, url_prefix="/c/<coalition_slug>/meetings")

from coalition.meetings import (  # noqa: E402
    cli,
    demo,
    momentum,
    outreach,
    personal,
    rules,
    tallies,
    views,
    views_after,
    views_agenda,
    views_rsvp,
)

#: The modules whose routes (and commands) `bp` carries.
ROUTE_MODULES = (views, views_agenda, views_after, views_rsvp, cli)


def register(app: Flask) -> None:
    """Register the meeting pages and commands, RSVP rules, dashboard panel, personal data, demo seeder, and the
    meetings that stakeholder outreach can be logged for."""
    app.register_blueprint(bp)
    app.register_blueprint(feeds_bp)
    register_object_rules(rules.OBJECT_RULES)
    register_panel(30, "meetings/_dashboard_panel.html", personal.meetings_panel)
    register_panel(25, "meetings/_dashboard_panel_team.html", momentum.team_meetings_panel, action="meeting.manage")
    register_provider("meetings_progress", momentum.meetings_progress)
    register_source("reach", "meetings", tallies.REACH)
    register_source("tallies", "meetings", tallies.TALLIES)
    tallies.keep_check_ins()
    register_source("timeline", "meetings", momentum.timeline_rows)
    register_source("last_activity", "meetings", momentum.last_activity)
    register_personal_data("meetings", exporter=personal.export_meetings, eraser=personal.erase_meetings)
    register_demo_seeder("meetings", 30, demo.seed_meetings)
    register_meeting_finder(outreach.meeting_for_outreach)
