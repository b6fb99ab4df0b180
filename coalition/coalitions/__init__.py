"""Coalitions: dashboard, settings, partner organizations, members, invitations, join requests, audit log."""

from flask import Flask

from coalition.accounts.services import register_session_user_options
from coalition.core.dashboard import register_panel
from coalition.core.permissions import register_membership_loader
from coalition.core.personal_data import register_personal_data
from coalition.core.scoping import coalition_blueprint, register_coalition_loader

bp = coalition_blueprint("coalitions", __name__, url_prefix="/c/<coalition_slug>")

from coalition.coalitions import home, panels, queries, services, views, views_tags  # noqa: E402

#: The modules whose routes (and commands) `bp` carries.
ROUTE_MODULES = (views, views_tags)


def register(app: Flask) -> None:
    """Register the coalition pages, the site's home and invitation pages, the leads' membership panel, and the
    memberships' personal data."""
    app.register_blueprint(bp)
    register_panel(50, "coalitions/_dashboard_panel.html", panels.membership_panel, action="member.manage")
    app.register_blueprint(home.bp)
    register_coalition_loader(queries.coalition_by_slug)
    register_membership_loader(queries.memberships_of)
    register_session_user_options(*queries.SESSION_USER_OPTIONS)
    register_personal_data(
        "memberships", exporter=services.export_memberships, eraser=services.refuse_deleting_last_lead
    )
