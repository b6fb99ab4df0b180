"""Account pages. Each view: validate, call one service, commit, flash, redirect or render."""

import json
from urllib.parse import urlsplit

from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
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
from coalition.accounts.passwords import verify_password
from coalition.core.forms import ActionForm
from coalition.core.i18n import SESSION_LOCALE_KEY
from coalition.core.security import config_limit
from coalition.core.text import normalize_email
from coalition.extensions import db, limiter


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
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The email or the password is not right."))
        elif not user.is_verified:
            services.send_verification(user)
            db.session.commit()
            flash(_("Please confirm your email address first: we have sent you a new link."), "warning")
        else:
            services.start_login_session(user, remember=form.remember.data, user_agent=request.user_agent.string)
            login_user(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out: the server-side session is deleted, so a copied cookie stops working."""
    if ActionForm().validate_on_submit() and current_user.is_authenticated:
        services.end_login_session(current_user.session_token)
        logout_user()
        db.session.commit()
        flash(_("You are logged out."), "success")
    return redirect(url_for("home.index"))


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify(token):
    """Confirm an email address (the link shows a button; the POST confirms)."""
    form = ActionForm()
    if form.validate_on_submit():
        user = services.verify_email(token)
        db.session.commit()
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
        services.request_password_reset(form.email.data)
        db.session.commit()
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
        services.reset_password(token, form.password.data)
        if current_user.is_authenticated:
            logout_user()
        db.session.commit()
        flash(_("Your password is changed and every session is logged out. Log in with the new password."), "success")
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
        services.update_profile(current_user, **{name: form[name].data for name in services.PROFILE_FIELDS})
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, action_form=ActionForm())


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(config_limit("RATELIMIT_SENSITIVE"), methods=["POST"])
def change_password():
    """Change the password; every other session of the account is logged out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            services.change_password(current_user, form.password.data)
            db.session.commit()
            flash(_("Your password is changed. Every other device is logged out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form)


@bp.route("/export", methods=["POST"])
@login_required
def export():
    """Download everything the platform holds about me, as JSON."""
    if not ActionForm().validate_on_submit():
        return redirect(url_for("accounts.profile"))
    data = services.export_personal_data(current_user)
    db.session.commit()
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
        if not verify_password(current_user.password_hash, form.password.data):
            form.password.errors.append(_("This is not your password."))
        else:
            try:
                user = current_user._get_current_object()
                services.delete_account(user, keep_stories_anonymised=form.stories.data == "anonymise")
            except ValueError as error:  # a domain refuses, e.g. the only lead of a coalition
                db.session.rollback()
                form.password.errors.append(str(error))
            else:
                logout_user()
                db.session.commit()
                flash(_("Your account is deleted."), "success")
                return redirect(url_for("home.index"))
    return render_template("accounts/delete.html", form=form)


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the site's language: kept in the profile of a person logged in, in the session of a visitor."""
    code = request.form.get("language", "")
    if ActionForm().validate_on_submit() and code in current_app.config["LANGUAGES"]:
        session[SESSION_LOCALE_KEY] = code
        if current_user.is_authenticated:
            services.update_profile(current_user, locale=code)
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"))
