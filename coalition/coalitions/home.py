"""Site-wide pages of the coalitions domain: home (my coalitions) and accepting an invitation."""

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from coalition.coalitions import services
from coalition.coalitions.models import Coalition
from coalition.core.forms import ActionForm
from coalition.core.work import unit_of_work
from coalition.extensions import db

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    """Home: my coalitions when logged in (straight to the one if there is only one), else the welcome page."""
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    memberships = current_user.active_memberships()
    coalitions = (
        db.session.scalars(select(Coalition).where(Coalition.id.in_(memberships)).order_by(Coalition.name)).all()
        if memberships
        else []
    )
    if len(coalitions) == 1:
        return redirect(url_for("coalitions.dashboard", coalition_slug=coalitions[0].slug))
    return render_template("home/home.html", coalitions=coalitions, memberships=memberships)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token):
    """Show an invitation; a logged-in person with the invited email accepts it with a button."""
    found = services.find_open_invitation(token)
    if found is None:
        return render_template("home/invitation_invalid.html"), 404
    form = ActionForm()
    if current_user.is_authenticated and form.validate_on_submit():
        with unit_of_work(success=_("Welcome to %(name)s!", name=found.coalition.name)) as work:
            services.accept_invitation(found, current_user)
        if work.ok:
            return redirect(url_for("coalitions.dashboard", coalition_slug=found.coalition.slug))
    return render_template("home/invitation.html", invitation=found, token=token, form=form)
