"""Campaigns: what a coalition is fighting for, its storyteller questions, updates and followers."""

from coalition.core.scoping import coalition_blueprint

bp = coalition_blueprint("campaigns", __name__)

from coalition.campaigns import models, views  # noqa: E402, F401
