"""Site-wide machinery pages that know no domain: the health check."""

from flask import Blueprint
from sqlalchemy import select

from coalition.extensions import db

bp = Blueprint("core", __name__)


@bp.route("/healthz")
def healthz():
    """Liveness check for load balancers: the database answers."""
    db.session.execute(select(1))
    return {"status": "ok"}
