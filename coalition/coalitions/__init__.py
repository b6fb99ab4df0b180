"""Coalitions: dashboard, settings, partner organizations, members, invitations, join requests, audit log."""

from flask import Flask

from coalition.core.permissions import register_membership_loader
from coalition.core.personal_data import register_personal_data
from coalition.core.scoping import coalition_blueprint, register_coalition_loader

bp = coalition_blueprint("coalitions", __name__, url_prefix="/c/<coalition_slug>")

from coalition.coalitions import home, queries, services, views, views_tags  # noqa: E402

#: The modules whose routes (and commands) `bp` carries.
ROUTE_MODULES = (views, views_tags)


def register(app: Flask) -> None:
    """Register the coalition pages, the site's home and invitation pages, and the memberships' personal data."""
    app.register_blueprint(bp)
    app.register_blueprint(home.bp)
    register_coalition_loader(queries.coalition_by_slug)
    register_membership_loader(queries.memberships_of)
    register_personal_data(
        "memberships", exporter=services.export_memberships, eraser=services.refuse_deleting_last_lead
    )
