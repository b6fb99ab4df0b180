"""Meetings: scheduling, RSVPs with needs and a waitlist, calendars, reminders, and what happens after."""

from coalition.core.scoping import coalition_blueprint

bp = coalition_blueprint("meetings", __name__)

from coalition.meetings import cli, views  # noqa: E402, F401
