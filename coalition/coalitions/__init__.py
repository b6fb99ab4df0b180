"""Coalitions: dashboard, settings, partner organizations, members, invitations, join requests, audit log."""

from coalition.core.scoping import coalition_blueprint

bp = coalition_blueprint("coalitions", __name__, url_prefix="/c/<coalition_slug>")

from coalition.coalitions import views  # noqa: E402, F401
