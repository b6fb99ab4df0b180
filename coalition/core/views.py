"""Site-wide pages: home (my coalitions), accepting an invitation."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from coalition.core.forms import ActionForm
from coalition.extensions import db

bp = Blueprint("core", __name__)


@bp.route("/")
def index():
    """Home: my coalitions when logged in (straight to the one if there is only one), else the welcome page."""
    if not current_user.is_authenticated:
        return render_template("core/welcome.html")
    from coalition.coalitions.models import Coalition

    memberships = current_user.active_memberships()
    coalitions = (
        db.session.scalars(select(Coalition).where(Coalition.id.in_(memberships)).order_by(Coalition.name)).all()
        if memberships
        else []
    )
    if len(coalitions) == 1:
        return redirect(url_for("coalitions.dashboard", coalition_slug=coalitions[0].slug))
    return render_template("core/home.html", coalitions=coalitions, memberships=memberships)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token):
    """Show an invitation; a logged-in person with the invited email accepts it with a button."""
    from coalition.coalitions import services

    found = services.find_open_invitation(token)
    if found is None:
        return render_template("core/invitation_invalid.html"), 404
    form = ActionForm()
    if current_user.is_authenticated and form.validate_on_submit():
        try:
            services.accept_invitation(found, current_user)
        except services.CoalitionError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Welcome to %(name)s!", name=found.coalition.name), "success")
            return redirect(url_for("coalitions.dashboard", coalition_slug=found.coalition.slug))
    return render_template("core/invitation.html", invitation=found, token=token, form=form)


@bp.route("/healthz")
def healthz():
    """Liveness check for load balancers: the database answers."""
    db.session.execute(select(1))
    return {"status": "ok"}
