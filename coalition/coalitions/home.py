"""Site-wide pages of the coalitions domain: home (my coalitions), registering to join one, accepting an invitation."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user
from sqlalchemy import select

from coalition.accounts import services as accounts
from coalition.accounts.forms import RegisterForm
from coalition.coalitions import services
from coalition.coalitions.models import Coalition
from coalition.core.forms import ActionForm
from coalition.core.i18n import browser_locale
from coalition.core.i18n import gettext as _
from coalition.core.security import config_limit
from coalition.core.work import unit_of_work
from coalition.extensions import db, limiter

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


@bp.route("/account/register", methods=["GET", "POST"])
@limiter.limit(config_limit("RATELIMIT_SENSITIVE"), methods=["POST"])
def register():
    """Register by invitation link, or to ask to join a coalition that accepts join requests."""
    invitation = services.find_open_invitation(request.args.get("invite", ""))
    coalition = services.find_open_coalition(request.args.get("coalition", ""))
    if invitation is None and coalition is None:
        return render_template("accounts/register_closed.html", open_coalitions=services.open_coalitions())
    form = RegisterForm()
    if invitation is not None:
        form.email.data = invitation.email
    if form.validate_on_submit():
        if invitation is not None:
            return _register_invited(form, invitation)
        with unit_of_work(form) as work:
            user = accounts.register_user(
                form.email.data, form.password.data, form.display_name.data, locale=browser_locale()
            )
            if user is not None:
                services.request_to_join(coalition, user)
        if work.ok:
            return render_template("accounts/check_email.html", email=form.email.data)
    return render_template("accounts/register.html", form=form, invitation=invitation, coalition=coalition)


def _register_invited(form, invitation):
    """Create the invited person's account, accept the invitation and log them in."""
    if accounts.find_user_by_email(invitation.email) is not None:
        flash(_("You already have an account. Log in to accept the invitation."), "info")
        return redirect(url_for("accounts.login", next=url_for("home.invitation", token=request.args["invite"])))
    with unit_of_work(form, success=_("Welcome to %(name)s!", name=invitation.coalition.name)) as work:
        user = accounts.create_user(
            invitation.email, form.password.data, form.display_name.data, locale=browser_locale(), verified=True
        )
        services.accept_invitation(invitation, user)
        accounts.start_login_session(user, remember=False, user_agent=request.user_agent.string)
        login_user(user)
    if not work.ok:
        return render_template("accounts/register.html", form=form, invitation=invitation, coalition=None)
    return redirect(url_for("coalitions.dashboard", coalition_slug=invitation.coalition.slug))
