"""Meetings, their agenda, RSVPs with needs, invitations, calendar feeds, and what happens after a meeting."""

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.campaigns.models import Campaign
from coalition.core.models import PublicIdMixin, TimestampMixin, UTCDateTime, enum_column, utcnow
from coalition.extensions import db


class MeetingKind(enum.StrEnum):
    COALITION_MEETING = "coalition_meeting"
    COMMUNITY_MEETING = "community_meeting"
    SMALL_GATHERING = "small_gathering"
    WORKSHOP = "workshop"
    #: Outreach entries of the stakeholders domain may point at meetings of this kind.
    STAKEHOLDER_MEETING = "stakeholder_meeting"
    PUBLIC_ACTION = "public_action"


class MeetingVisibility(enum.StrEnum):
    PUBLIC = "public"  # anyone, visitors included
    MEMBERS = "members"  # members of the coalition
    INVITE_ONLY = "invite_only"  # invited members and organizers


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class RsvpResponse(enum.StrEnum):
    YES = "yes"
    MAYBE = "maybe"
    NO = "no"


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"


class Meeting(PublicIdMixin, TimestampMixin, db.Model):
    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_coalition_start", "coalition_id", "start_at"),
        # The campaign's latest meeting held (last activity, timeline) walks it backwards.
        Index("ix_meetings_campaign_end", "campaign_id", "end_at"),
        # The meetings going on now (started, not over), without reading the past: the organizing team's week.
        Index("ix_meetings_coalition_end_start", "coalition_id", "end_at", "start_at"),
        CheckConstraint("end_at > start_at", name="end_after_start"),
        CheckConstraint("seats_taken >= 0", name="seats_not_negative"),
        # The last line of defence against overfilling: the database itself refuses it.
        CheckConstraint("capacity IS NULL OR seats_taken <= capacity", name="within_capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)
    kind: Mapped[MeetingKind] = enum_column(MeetingKind, default=MeetingKind.COALITION_MEETING)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: IANA zone the organizer planned in; the .ics carries it so calendars keep the local time across DST.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    venue: Mapped[str] = mapped_column(String(200), default="")
    #: Exact address and access notes are shown only to people coming (yes RSVP) and organizers.
    address: Mapped[str] = mapped_column(String(500), default="")
    access_notes: Mapped[str] = mapped_column(Text, default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    #: Places, guests included; None means no limit.
    capacity: Mapped[int | None] = mapped_column()
    #: Places held by yes RSVPs; changed only by conditional UPDATEs (see meetings.rsvps), never by the ORM.
    seats_taken: Mapped[int] = mapped_column(default=0)
    #: People checked in (RSVPs marked attended plus walk-ins); kept by meetings.tallies after every flush with an
    #: UPDATE, never set by the ORM (read it with a query).
    checked_in: Mapped[int] = mapped_column(default=0, server_default="0")
    visibility: Mapped[MeetingVisibility] = enum_column(
        MeetingVisibility, "visibility", default=MeetingVisibility.MEMBERS
    )
    languages: Mapped[str] = mapped_column(String(200), default="")
    #: Comma-separated languages with interpretation; people pick one of them when they RSVP.
    interpretation: Mapped[str] = mapped_column(String(200), default="")
    childcare: Mapped[bool] = mapped_column(Boolean, default=False)
    food: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[MeetingStatus] = enum_column(MeetingStatus, default=MeetingStatus.SCHEDULED)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: RFC 5545 SEQUENCE: raised on every change of time, place or status, so calendars apply updates.
    sequence: Mapped[int] = mapped_column(default=0)
    minutes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    coalition = relationship("Coalition")
    campaign = relationship(Campaign)
    created_by = relationship("User")
    agenda_items = relationship(
        "AgendaItem",
        back_populates="meeting",
        order_by="(AgendaItem.position, AgendaItem.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    decisions = relationship(
        "Decision",
        back_populates="meeting",
        order_by="(Decision.position, Decision.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.start_at <= utcnow()

    @property
    def has_ended(self) -> bool:
        return self.end_at <= utcnow()

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.seats_taken >= self.capacity

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)

    @property
    def interpretation_languages(self) -> list[str]:
        return [part.strip() for part in self.interpretation.split(",") if part.strip()]

    @property
    def agenda_minutes(self) -> int:
        return sum(item.duration_minutes or 0 for item in self.agenda_items)

    def __repr__(self) -> str:
        return f"<Meeting {self.id}>"


class AgendaItem(db.Model):
    __tablename__ = "meeting_agenda_items"
    __table_args__ = (Index("ix_meeting_agenda_items_meeting_position", "meeting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    duration_minutes: Mapped[int] = mapped_column(default=0)
    facilitator: Mapped[str] = mapped_column(String(120), default="")

    meeting = relationship("Meeting", back_populates="agenda_items")


class Rsvp(PublicIdMixin, TimestampMixin, db.Model):
    """One person's answer: a member (user_id) or a visitor (name, email and a private link) — never both."""

    __tablename__ = "meeting_rsvps"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        UniqueConstraint("meeting_id", "visitor_email"),
        Index("ix_meeting_rsvps_meeting_waitlist", "meeting_id", "waitlisted", "waitlisted_at"),
        CheckConstraint("guests >= 0 AND children >= 0 AND seats_held >= 0", name="counts_not_negative"),
        CheckConstraint("(user_id IS NULL) <> (visitor_email IS NULL)", name="member_or_visitor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    visitor_name: Mapped[str | None] = mapped_column(String(120))
    visitor_email: Mapped[str | None] = mapped_column(String(320))
    #: Hash of the visitor's private change-or-cancel link.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    response: Mapped[RsvpResponse] = enum_column(RsvpResponse, default=RsvpResponse.YES)
    #: A yes that did not fit; promoted oldest first (waitlisted_at) when places free up.
    waitlisted: Mapped[bool] = mapped_column(Boolean, default=False)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Places this RSVP holds in meetings.seats_taken (1 + guests for a yes with a place, else 0).
    seats_held: Mapped[int] = mapped_column(default=0)
    guests: Mapped[int] = mapped_column(default=0)
    interpretation_language: Mapped[str] = mapped_column(String(60), default="")
    children: Mapped[int] = mapped_column(default=0)
    access_needs: Mapped[str] = mapped_column(String(500), default="")
    dietary: Mapped[str] = mapped_column(String(300), default="")
    attended: Mapped[bool] = mapped_column(Boolean, default=False)

    meeting = relationship("Meeting")
    user = relationship("User")

    @property
    def name(self) -> str:
        return self.user.display_name if self.user is not None else (self.visitor_name or "")

    @property
    def email(self) -> str:
        return self.user.email if self.user is not None else (self.visitor_email or "")

    @property
    def is_going(self) -> bool:
        """A yes that holds a place (not waitlisted)."""
        return self.response == RsvpResponse.YES and not self.waitlisted

    def is_owned_by(self, user) -> bool:
        return user is not None and self.user_id is not None and self.user_id == getattr(user, "id", None)


class WalkIn(db.Model):
    """Someone who came without an RSVP (no account needed), added at check-in."""

    __tablename__ = "meeting_walk_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeetingInvite(db.Model):
    """A member invited to an invite-only meeting."""

    __tablename__ = "meeting_invites"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", foreign_keys=[user_id])


class CalendarFeed(db.Model):
    """A person's private calendar subscription in one coalition; only the token's hash is stored."""

    __tablename__ = "meeting_calendar_feeds"
    __table_args__ = (UniqueConstraint("coalition_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User")


class Decision(db.Model):
    __tablename__ = "meeting_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(String(1000))

    meeting = relationship("Meeting", back_populates="decisions")


class ActionItem(TimestampMixin, db.Model):
    __tablename__ = "meeting_action_items"
    __table_args__ = (
        Index("ix_meeting_action_items_owner_status", "owner_id", "status"),
        # The dashboard's overdue action items: the oldest open ones first, straight from the index.
        Index("ix_meeting_action_items_coalition_status_due", "coalition_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    #: NULL for an action item created elsewhere (e.g. from a decision's outcome).
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: A member of the coalition; NULL once unassigned (or when the owner deleted their account).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = enum_column(ActionStatus, default=ActionStatus.OPEN)

    meeting = relationship("Meeting")
    owner = relationship("User")

    @property
    def is_done(self) -> bool:
        return self.status == ActionStatus.DONE

    def is_owned_by(self, user) -> bool:
        return user is not None and self.owner_id is not None and self.owner_id == getattr(user, "id", None)


class Feedback(db.Model):
    """Feedback on a meeting. Anonymous feedback has no user_id and no timestamp: nothing links it to a person."""

    __tablename__ = "meeting_feedback"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_1_to_5"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    rating: Mapped[int] = mapped_column()
    worked: Mapped[str] = mapped_column(Text, default="")
    change: Mapped[str] = mapped_column(Text, default="")

    user = relationship("User")

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None


class FeedbackGiven(db.Model):
    """Marks that a person gave feedback on a meeting (anonymously or not), so nobody submits twice."""

    __tablename__ = "meeting_feedback_given"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
