"""Stakeholders and outreach: people in power, campaign targets and stance, outreach log, follow-ups, power map."""

from coalition.core.scoping import coalition_blueprint

bp = coalition_blueprint("stakeholders", __name__)

from coalition.stakeholders import cli, models, views, views_outreach, views_packets  # noqa: E402, F401
