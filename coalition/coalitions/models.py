"""Coalitions, their partner organizations, memberships with roles, and invitations."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.core.models import PublicIdMixin, TimestampMixin, UTCDateTime, enum_column, utcnow
from coalition.core.permissions import Role
from coalition.extensions import db


class Coalition(TimestampMixin, db.Model):
    __tablename__ = "coalitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    default_locale: Mapped[str] = mapped_column(String(10), default="en")
    #: IANA time zone name in which meetings are shown by default.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    #: Anyone with an account may ask to join; a lead approves each request.
    allow_join_requests: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Hours before a meeting at which `flask meetings remind` sends reminders.
    reminder_hours: Mapped[int] = mapped_column(default=24)
    #: Days after which an unanswered outreach shows in the follow-up queue as "no response".
    no_response_days: Mapped[int] = mapped_column(default=14)
    #: Counts under this number are shown as "fewer than N" where answers are anonymous.
    suppression_threshold: Mapped[int] = mapped_column(default=5, server_default="5")

    partners = relationship(
        "PartnerOrganization",
        back_populates="coalition",
        cascade="all, delete-orphan",
        order_by="PartnerOrganization.name",
    )
    memberships = relationship("Membership", back_populates="coalition", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Coalition {self.slug}>"


class PartnerOrganization(TimestampMixin, db.Model):
    __tablename__ = "partner_organizations"
    __table_args__ = (UniqueConstraint("coalition_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(320))

    coalition = relationship("Coalition", back_populates="partners")


class MembershipStatus(enum.StrEnum):
    ACTIVE = "active"
    PENDING = "pending"  # a join request waiting for a lead
    REMOVED = "removed"


class Membership(PublicIdMixin, TimestampMixin, db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "coalition_id"),
        Index("ix_memberships_coalition_status_role", "coalition_id", "status", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))
    role: Mapped[Role] = enum_column(Role, default=Role.MEMBER)
    status: Mapped[MembershipStatus] = enum_column(MembershipStatus, default=MembershipStatus.ACTIVE)
    #: The partner organization this person comes through, if any.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner_organizations.id", ondelete="SET NULL"))

    user = relationship("User", back_populates="memberships")
    coalition = relationship("Coalition", back_populates="memberships")
    partner = relationship("PartnerOrganization")


class Invitation(PublicIdMixin, db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[Role] = enum_column(Role, default=Role.MEMBER)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner_organizations.id", ondelete="SET NULL"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Member tags (names) put on the person when they accept.
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)

    coalition = relationship("Coalition")
    partner = relationship("PartnerOrganization")
    invited_by = relationship("User")

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > utcnow()
