"""Account rules: registration, log-in sessions, email tokens, password changes, export and deletion.

Functions add and flush; the request commits once.
"""

from datetime import timedelta
from functools import cache

from flask import current_app, g, has_request_context
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import joinedload

from coalition.accounts.models import AccountToken, LoginSession, User
from coalition.accounts.passwords import burn_time, hash_password, needs_rehash, verify_password
from coalition.core.audit import record_audit
from coalition.core.errors import DomainError
from coalition.core.i18n import lazy_gettext as _l
from coalition.core.links import site_link
from coalition.core.models import utcnow
from coalition.core.outbox import queue_mail
from coalition.core.personal_data import ERASERS, EXPORTERS
from coalition.core.text import normalize_email
from coalition.core.tokens import hash_token, new_token
from coalition.core.work import has_written
from coalition.extensions import db

VERIFY, RESET = "verify", "reset"


class AccountError(DomainError):
    """A rule of the accounts domain was broken; the message is shown to the person, next to `field`."""


def check_password(user: User, password: str, field: str = "password") -> None:
    """Refuse, at `field`, a password that is not the account's current one."""
    if not verify_password(user.password_hash, password):
        raise AccountError(_l("This is not your password."), field)


def log_in(email: str, password: str, *, remember: bool, user_agent: str | None) -> User:
    """Check the credentials and, for a confirmed address, start a server-side session (else mail a new link)."""
    user = authenticate(email, password)
    if user is None:
        raise AccountError(_l("The email or the password is not right."), "password")
    if user.is_verified:
        start_login_session(user, remember=remember, user_agent=user_agent)
    else:
        send_verification(user)
    return user


def find_user_by_email(email: str) -> User | None:
    """Return the account with this email, if any."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


# --- Registration and verification -------------------------------------------------------------------------


def create_user(email: str, password: str, display_name: str, *, locale=None, verified=False) -> User:
    """Create an account (the caller has checked the email is free)."""
    user = User(
        email=normalize_email(email),
        password_hash=hash_password(password),
        display_name=display_name.strip(),
        locale=locale,
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def register_user(email: str, password: str, display_name: str, *, locale=None, verified=False) -> User | None:
    """Register a new account and mail a verification link.

    If the email is taken, nothing is created: the owner is told by mail instead, and None is returned, so that
    the page answers the same way for known and unknown addresses.
    """
    existing = find_user_by_email(email)
    if existing is not None:
        queue_mail(
            existing.email,
            _l("Someone tried to register with your email address"),
            "accounts/already_registered",
            kind="already_registered",
            locale=existing.locale,
            user=existing,
            login_url=site_link("/account/login"),
            reset_url=site_link("/account/reset"),
        )
        return None
    user = create_user(email, password, display_name, locale=locale, verified=verified)
    if not verified:
        send_verification(user)
    record_audit("account.register", actor=user, obj=user)
    return user


def create_account_token(user: User, purpose: str, max_age: timedelta) -> str:
    """Create a single-use token for `purpose` and return the raw value for the link."""
    raw, token_hash = new_token()
    db.session.add(AccountToken(user=user, purpose=purpose, token_hash=token_hash, expires_at=utcnow() + max_age))
    db.session.flush()
    return raw


def consume_account_token(raw: str, purpose: str) -> User | None:
    """Use a token once: return its user if it is valid, unexpired and unused, marking it used."""
    token = db.session.scalar(
        select(AccountToken).where(AccountToken.token_hash == hash_token(raw or ""), AccountToken.purpose == purpose)
    )
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    # Guarded update: of two concurrent uses of one token, only one succeeds.
    result = db.session.execute(
        update(AccountToken).where(AccountToken.id == token.id, AccountToken.used_at.is_(None)).values(used_at=utcnow())
    )
    return token.user if result.rowcount == 1 else None


def send_verification(user: User) -> None:
    """Queue a mail with a link that confirms the account's email address."""
    raw = create_account_token(user, VERIFY, current_app.config["TOKEN_MAX_AGE_VERIFY"])
    queue_mail(
        user.email,
        _l("Confirm your email address"),
        "accounts/verify",
        kind="verify",
        locale=user.locale,
        user=user,
        verify_url=site_link(f"/account/verify/{raw}"),
    )


def verify_email(raw: str) -> User | None:
    """Confirm an email address through its token."""
    user = consume_account_token(raw, VERIFY)
    if user is not None and user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


# --- Log-in sessions ----------------------------------------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """Return the user if email and password match; same time spent whether or not the email is known."""
    user = find_user_by_email(email)
    if user is None:
        burn_time(password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def start_login_session(user: User, *, remember: bool, user_agent: str | None = None) -> str:
    """Record a server-side session for a log-in; the returned token is what the cookie carries."""
    raw, token_hash = new_token()
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION" if remember else "PERMANENT_SESSION_LIFETIME"]
    db.session.add(
        LoginSession(
            user=user, token_hash=token_hash, expires_at=utcnow() + lifetime, user_agent=(user_agent or "")[:300]
        )
    )
    user.last_login_at = utcnow()
    user.session_token = raw
    db.session.flush()
    return raw


#: Loader options of the person behind a log-in session that other domains add (the coalitions domain: their
#: memberships and those coalitions), so that every page starts with one statement for session, person and roles.
_session_user_options: list = []


def register_session_user_options(*options) -> None:
    """Load these relationships of the person (options on `LoginSession.user`) with every log-in session."""
    _session_user_options[:] = options
    _session_statement.cache_clear()


@cache
def _session_statement():
    """The statement that finds a log-in session by its token's hash: built once, as every request runs it."""
    return (
        select(LoginSession)
        .options(joinedload(LoginSession.user, innerjoin=True).options(*_session_user_options))
        .where(LoginSession.token_hash == bindparam("token_hash"))
    )


def load_session_user(raw: str) -> User | None:
    """Return the user of a live server-side session (Flask-Login's user loader)."""
    result = db.session.execute(_session_statement(), {"token_hash": hash_token(raw or "")})
    session_row = result.unique().scalar_one_or_none()
    if session_row is None or session_row.expires_at <= utcnow():
        return None
    if utcnow() - session_row.last_seen_at > timedelta(minutes=5) and has_request_context():
        g.login_session_to_touch = session_row.id
    user = session_row.user
    user.session_token = raw
    return user


def touch_login_session(response):
    """After a request, note when a session was last seen (at most every five minutes), in its own transaction
    so that it never commits the request's unit of work. When the request's transaction has written (the audit entry
    of a private read, committed with the response), in that transaction instead: on SQLite a second connection
    would wait for the write lock this very request holds. Rolled back with it, the note is made by a later request.
    (Runs before `core.work`'s commit with the response: Flask calls after-request functions last registered first.)
    """
    session_id = g.pop("login_session_to_touch", None)
    if session_id is None:
        return response
    statement = update(LoginSession).where(LoginSession.id == session_id).values(last_seen_at=utcnow())
    if has_written():
        db.session.execute(statement, execution_options={"synchronize_session": False})
    else:
        with db.engine.begin() as connection:
            connection.execute(statement)
    return response


def end_login_session(raw: str | None) -> None:
    """Delete one server-side session: its cookie (and remember-me cookie) stops working."""
    if raw:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == hash_token(raw)))


def end_other_sessions(user: User, keep_raw: str | None = None) -> None:
    """Delete every session of a user except the one in use."""
    stmt = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep_raw:
        stmt = stmt.where(LoginSession.token_hash != hash_token(keep_raw))
    db.session.execute(stmt)


# --- Passwords ----------------------------------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Mail a reset link if the account exists; do nothing visible otherwise."""
    user = find_user_by_email(email)
    if user is None:
        return
    raw = create_account_token(user, RESET, current_app.config["TOKEN_MAX_AGE_RESET"])
    queue_mail(
        user.email,
        _l("Reset your password"),
        "accounts/reset",
        kind="password_reset",
        locale=user.locale,
        user=user,
        reset_url=site_link(f"/account/reset/{raw}"),
    )


def reset_token_is_valid(raw: str) -> bool:
    """Whether a reset link can still be used (without using it)."""
    token = db.session.scalar(
        select(AccountToken).where(AccountToken.token_hash == hash_token(raw or ""), AccountToken.purpose == RESET)
    )
    return token is not None and token.used_at is None and token.expires_at > utcnow()


def reset_password(raw: str, new_password: str) -> User | None:
    """Set a new password through a reset token; every session of the account ends."""
    user = consume_account_token(raw, RESET)
    if user is None:
        return None
    _set_password(user, new_password)
    end_other_sessions(user)
    # Following a mailed link proves the address, too.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    record_audit("account.password_reset", actor=user, obj=user)
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password (the current one must be given); every other session of the account ends."""
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_l("This is not your current password."), "current_password")
    _set_password(user, new_password)
    end_other_sessions(user, keep_raw=user.session_token)
    record_audit("account.password_change", actor=user, obj=user)


def _set_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == RESET, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
    )


# --- Profile, export, deletion ------------------------------------------------------------------------------


PROFILE_FIELDS = (
    "display_name",
    "pronouns",
    "locale",
    "timezone",
    "notify_meetings",
    "notify_stories",
    "notify_campaigns",
)
_OPTIONAL_FIELDS = {"pronouns", "locale", "timezone"}


def update_profile(user: User, **fields) -> None:
    """Update the editable profile fields (empty optional fields are stored as NULL)."""
    for name, value in fields.items():
        if name in PROFILE_FIELDS:
            setattr(user, name, (value or None) if name in _OPTIONAL_FIELDS else value)


def export_personal_data(user: User) -> dict:
    """Everything the platform holds about a person, as JSON-serialisable data."""
    data = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "pronouns": user.pronouns,
            "locale": user.locale,
            "timezone": user.timezone,
            "email_verified_at": _iso(user.email_verified_at),
            "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at),
            "notifications": {
                "meetings": user.notify_meetings,
                "stories": user.notify_stories,
                "campaigns": user.notify_campaigns,
            },
        },
        "sessions": [
            {"created_at": _iso(s.created_at), "last_seen_at": _iso(s.last_seen_at), "user_agent": s.user_agent}
            for s in user.login_sessions
        ],
    }
    for key, exporter in sorted(EXPORTERS.items()):
        data[key] = exporter(user)
    record_audit("account.export", actor=user, obj=user)
    return data


def delete_account(user: User, *, keep_stories_anonymised: bool) -> None:
    """Delete an account and everything personal; each domain erases or anonymises its own data first."""
    for _key, eraser in sorted(ERASERS.items()):
        eraser(user, keep_stories_anonymised)
    record_audit("account.delete", stories="anonymised" if keep_stories_anonymised else "deleted")
    db.session.delete(user)
    db.session.flush()


def _iso(value) -> str | None:
    return value.isoformat() if value else None
