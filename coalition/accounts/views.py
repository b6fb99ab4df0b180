"""Account pages. Each view: validate, call one service, commit, flash, redirect or render."""

import json
from urllib.parse import urlsplit

from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from coalition.accounts import bp, services
from coalition.accounts.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from coalition.core.forms import ActionForm
from coalition.core.i18n import SESSION_LOCALE_KEY
from coalition.core.i18n import gettext as _
from coalition.core.security import config_limit
from coalition.core.text import normalize_email
from coalition.core.work import unit_of_work
from coalition.extensions import limiter


def _email_key() -> str:
    return "account:" + normalize_email(request.form.get("email", ""))


def safe_next(target: str | None) -> str | None:
    """Return `target` only if it is a path on this site (never another host)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(config_limit("RATELIMIT_LOGIN"), methods=["POST"])
@limiter.limit(config_limit("RATELIMIT_LOGIN_ACCOUNT"), methods=["POST"], key_func=_email_key)
def login():
    """Log in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            user = services.log_in(
                form.email.data, form.password.data, remember=form.remember.data, user_agent=request.user_agent.string
            )
            if user.is_verified:
                login_user(user, remember=form.remember.data)
        if work.ok and user.is_verified:
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
        if work.ok:
            flash(_("Please confirm your email address first: we have sent you a new link."), "warning")
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out: the server-side session is deleted, so a copied cookie stops working."""
    if ActionForm().validate_on_submit() and current_user.is_authenticated:
        with unit_of_work(success=_("You are logged out.")):
            services.end_login_session(current_user.session_token)
            logout_user()
    return redirect(url_for("home.index"))


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify(token):
    """Confirm an email address (the link shows a button; the POST confirms)."""
    form = ActionForm()
    if form.validate_on_submit():
        with unit_of_work():
            user = services.verify_email(token)
        if user is None:
            flash(_("This confirmation link has expired or was already used. Log in to get a new one."), "error")
            return redirect(url_for("accounts.login"))
        flash(_("Your email address is confirmed. You can log in now."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/verify.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(config_limit("RATELIMIT_SENSITIVE"), methods=["POST"])
@limiter.limit(config_limit("RATELIMIT_SENSITIVE"), methods=["POST"], key_func=_email_key)
def reset_request():
    """Ask for a password reset link; the answer is the same whether or not the email is known."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        with unit_of_work():
            services.request_password_reset(form.email.data)
        return render_template("accounts/check_email.html", email=form.email.data, reset=True)
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(config_limit("RATELIMIT_SENSITIVE"), methods=["POST"])
def reset_password(token):
    """Choose a new password through a mailed, single-use link."""
    if not services.reset_token_is_valid(token):
        flash(_("This reset link has expired or was already used. Please ask for a new one."), "error")
        return redirect(url_for("accounts.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        message = _("Your password is changed and every session is logged out. Log in with the new password.")
        with unit_of_work(form, success=message) as work:
            services.reset_password(token, form.password.data)
            if current_user.is_authenticated:
                logout_user()
        if work.ok:
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Edit display name, pronouns, language, time zone and notification preferences."""
    zones = [membership.coalition.timezone for membership in current_user.active_memberships().values()]
    form = ProfileForm(obj=current_user, coalition_zones=zones)
    if request.method == "GET":
        form.locale.data = current_user.locale or ""
        form.timezone.data = current_user.timezone or ""
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Your profile is saved.")) as work:
            services.update_profile(current_user, **{name: form[name].data for name in services.PROFILE_FIELDS})
        if work.ok:
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, action_form=ActionForm())


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(config_limit("RATELIMIT_SENSITIVE"), methods=["POST"])
def change_password():
    """Change the password; every other session of the account is logged out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Your password is changed. Every other device is logged out.")) as work:
            services.change_password(current_user, form.current_password.data, form.password.data)
        if work.ok:
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form)


@bp.route("/export", methods=["POST"])
@login_required
def export():
    """Download everything the platform holds about me, as JSON."""
    if not ActionForm().validate_on_submit():
        return redirect(url_for("accounts.profile"))
    with unit_of_work():
        data = services.export_personal_data(current_user)
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False, default=str),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="coalition-my-data.json"'},
    )


@bp.route("/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(config_limit("RATELIMIT_SENSITIVE"), methods=["POST"])
def delete():
    """Delete my account, choosing whether my stories are deleted or kept anonymised."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Your account is deleted.")) as work:
            user = current_user._get_current_object()
            services.check_password(user, form.password.data)
            # A domain may refuse (e.g. the only lead of a coalition): the error is shown and nothing is deleted.
            services.delete_account(user, keep_stories_anonymised=form.stories.data == "anonymise")
            logout_user()
        if work.ok:
            return redirect(url_for("home.index"))
    return render_template("accounts/delete.html", form=form)


@bp.route("/language", methods=["GET", "POST"])
def set_language():
    """Switch the site's language: kept in the profile of a person logged in (a form with its CSRF token), in the
    session of a visitor. A visitor's switch is a plain GET form: it only changes the language of their own
    session, and a page without one (a public campaign page) then sets no cookie, so it is the same page for every
    visitor and can be served again without being rendered (README, "Kept pages")."""
    if request.method == "GET":
        code = request.args.get("language", "")
        if code in current_app.config["LANGUAGES"]:
            session[SESSION_LOCALE_KEY] = code
        return redirect(_same_site_referrer() or safe_next(request.args.get("next")) or url_for("home.index"))
    code = request.form.get("language", "")
    if ActionForm().validate_on_submit() and code in current_app.config["LANGUAGES"]:
        session[SESSION_LOCALE_KEY] = code
        if current_user.is_authenticated:
            with unit_of_work():
                services.update_profile(current_user, locale=code)
    return redirect(_same_site_referrer() or safe_next(request.form.get("next")) or url_for("home.index"))


def _same_site_referrer() -> str | None:
    """The page the switch was pressed on, with its query (filters, page), when it is a page of this site."""
    referrer = request.referrer or ""
    return referrer if referrer.startswith(request.host_url) else None
