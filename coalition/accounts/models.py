"""People, their server-side log-in sessions and their single-use email tokens."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.core.models import TimestampMixin, UTCDateTime, utcnow
from coalition.core.permissions import active_memberships_of
from coalition.extensions import db


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"
    #: People lists are in name order: a page of a large coalition's members walks this index to its 25 names
    #: instead of sorting every member.
    __table_args__ = (Index("ix_users_display_name_id", "display_name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Always stored lower-cased and stripped; the unique key for log-in.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(120))
    pronouns: Mapped[str | None] = mapped_column(String(40))
    locale: Mapped[str | None] = mapped_column(String(10))
    #: IANA time zone name; None means "use the coalition's".
    timezone: Mapped[str | None] = mapped_column(String(64))
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notify_meetings: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_stories: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_campaigns: Mapped[bool] = mapped_column(Boolean, default=True)

    memberships = relationship("Membership", back_populates="user", cascade="all, delete-orphan", lazy="select")
    login_sessions = relationship("LoginSession", back_populates="user", cascade="all, delete-orphan")

    #: The raw token of the log-in session this object was loaded through (what Flask-Login stores).
    session_token = None

    def get_id(self) -> str | None:
        """Flask-Login stores the server-side session token, never the user id: deleting it logs out."""
        return self.session_token

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def first_name_initial(self) -> str:
        """'Ana M.' from 'Ana Martínez' — the middle attribution level."""
        parts = self.display_name.split()
        if len(parts) < 2:
            return parts[0] if parts else ""
        return f"{parts[0]} {parts[-1][0]}."

    def active_memberships(self) -> dict:
        """Return {coalition_id: Membership} of active memberships, loaded once per request."""
        return active_memberships_of(self)

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class LoginSession(db.Model):
    """A server-side record of one log-in; the cookie carries only its token, so deleting the row logs out."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_agent: Mapped[str | None] = mapped_column(String(300))

    user = relationship("User", back_populates="login_sessions")


class AccountToken(db.Model):
    """A single-use, expiring token mailed to a person (email verification, password reset)."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")
