"""Accounts: register, verify, log in/out, reset and change password, profile, export and delete."""

from flask import Blueprint, Flask

bp = Blueprint("accounts", __name__, url_prefix="/account")

from coalition.accounts import services, views  # noqa: E402

#: The modules whose routes (and commands) `bp` carries.
ROUTE_MODULES = (views,)


def register(app: Flask) -> None:
    """Register the accounts pages and the after-request note of when a log-in session was last seen."""
    app.register_blueprint(bp)
    app.after_request(services.touch_login_session)
