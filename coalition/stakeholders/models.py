"""Stakeholders (people in power), campaign targets with their stance history, and the outreach log."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.core.models import PublicIdMixin, TimestampMixin, UTCDateTime, enum_column, utcnow
from coalition.core.tags import TaggedMixin
from coalition.extensions import db


class StakeholderCategory(enum.StrEnum):
    ELECTED_OFFICIAL = "elected_official"
    AGENCY_STAFF = "agency_staff"
    LANDLORD = "landlord"
    HEALTHCARE_PROVIDER = "healthcare_provider"
    COMMUNITY_LEADER = "community_leader"
    MEDIA = "media"
    FUNDER = "funder"
    ALLY = "ally"


class Stance(enum.StrEnum):
    CHAMPION = "champion"
    SUPPORTIVE = "supportive"
    NEUTRAL = "neutral"
    OPPOSED = "opposed"
    HOSTILE = "hostile"
    UNKNOWN = "unknown"


class Priority(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Channel(enum.StrEnum):
    CALL = "call"
    EMAIL = "email"
    LETTER = "letter"
    MEETING = "meeting"
    HEARING_TESTIMONY = "hearing_testimony"
    STORIES_DELIVERED = "stories_delivered"
    PUBLIC_EVENT = "public_event"


class Response(enum.StrEnum):
    AWAITING = "awaiting"
    RESPONDED = "responded"
    NONE = "none"


class Stakeholder(TaggedMixin, TimestampMixin, db.Model):
    """A person in power the coalition is trying to move (visible to organizers and leads only)."""

    __tablename__ = "stakeholders"
    __table_args__ = (
        # The id too: the list pages through ids from the index alone (by name), then loads the page's rows.
        Index("ix_stakeholders_coalition_name", "coalition_id", "name", "id"),
        Index("ix_stakeholders_coalition_email", "coalition_id", "email"),
        Index("ix_stakeholders_coalition_category", "coalition_id", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    #: Organization or agency.
    organization: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[StakeholderCategory] = enum_column(StakeholderCategory, default=StakeholderCategory.ALLY)
    #: Jurisdiction or district, e.g. "Ward 4".
    jurisdiction: Mapped[str] = mapped_column(String(200), default="")
    #: Stored lower-cased; "" when unknown.
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Lower-cased, de-duplicated, sorted, e.g. ["council", "housing"]; shown as is. The tag filter reads
    #: `tag_rows` (stakeholder_tags), which follow every assignment (bulk INSERTs must write them too).
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    targets = relationship(
        "CampaignTarget", back_populates="stakeholder", cascade="all, delete-orphan", passive_deletes=True
    )
    outreach = relationship(
        "Outreach",
        back_populates="stakeholder",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(Outreach.occurred_at.desc(), Outreach.id.desc())",
    )
    tag_rows = relationship(
        "StakeholderTag", back_populates="stakeholder", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Stakeholder {self.id} {self.name!r}>"


class StakeholderTag(db.Model):
    """One tag of one stakeholder: what the tag filter searches, through its (coalition, tag, stakeholder) index."""

    __tablename__ = "stakeholder_tags"
    __table_args__ = (Index("ix_stakeholder_tags_coalition_tag_stakeholder", "coalition_id", "tag", "stakeholder_id"),)

    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: The stakeholder's coalition, copied so the filter reads the index alone.
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))

    stakeholder = relationship("Stakeholder", back_populates="tag_rows")

    def __repr__(self) -> str:
        return f"<StakeholderTag {self.stakeholder_id} {self.tag}>"


@event.listens_for(StakeholderTag, "before_insert")
def _tag_coalition(_mapper, _connection, row: StakeholderTag) -> None:
    """A tag row belongs to its stakeholder's coalition (the stakeholder is inserted first)."""
    row.coalition_id = row.stakeholder.coalition_id


class CampaignTarget(PublicIdMixin, TimestampMixin, db.Model):
    """A stakeholder in a campaign: where they stand, how much they matter and what we ask of them."""

    __tablename__ = "campaign_targets"
    __table_args__ = (
        UniqueConstraint("campaign_id", "stakeholder_id", name="uq_campaign_targets_campaign_stakeholder"),
        CheckConstraint("influence BETWEEN 1 AND 5", name="ck_campaign_targets_influence"),
        Index("ix_campaign_targets_coalition_campaign", "coalition_id", "campaign_id"),
        # The power map reads a campaign's most influential targets first (walking it backwards), and counts its cells.
        Index("ix_campaign_targets_campaign_influence", "campaign_id", "influence", "id", "stance"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"), index=True)
    stance: Mapped[Stance] = enum_column(Stance, default=Stance.UNKNOWN)
    #: 1 (little) to 5 (decides): the y of the power map.
    influence: Mapped[int] = mapped_column(default=3)
    priority: Mapped[Priority] = enum_column(Priority, default=Priority.MEDIUM)
    #: What we ask this person to do.
    ask: Mapped[str] = mapped_column(Text, default="")
    #: The organizer or lead responsible for this relationship.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    campaign = relationship("Campaign")
    stakeholder = relationship("Stakeholder", back_populates="targets")
    owner = relationship("User")
    stance_changes = relationship(
        "StanceChange",
        back_populates="target",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(StanceChange.created_at.desc(), StanceChange.id.desc())",
    )


class StanceChange(db.Model):
    """One step of a target's stance history (the first row has no old stance)."""

    __tablename__ = "stance_changes"
    __table_args__ = (
        Index("ix_stance_changes_target_created", "target_id", "created_at"),
        # A campaign's stance history by date: the timeline walks it backwards, movement since a date reads the
        # changes after it only.
        Index("ix_stance_changes_campaign_created", "campaign_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("campaign_targets.id", ondelete="CASCADE"))
    #: The target's campaign, copied (a target never changes campaign) so a campaign's history reads its own index.
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    old_stance: Mapped[Stance | None] = enum_column(Stance, nullable=True)
    new_stance: Mapped[Stance] = enum_column(Stance)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: The outreach that caused the change, if any.
    outreach_id: Mapped[int | None] = mapped_column(ForeignKey("outreach_entries.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    target = relationship("CampaignTarget", back_populates="stance_changes")
    changed_by = relationship("User")
    outreach = relationship("Outreach")


@event.listens_for(StanceChange, "before_insert")
def _change_campaign(_mapper, connection, row: StanceChange) -> None:
    """A stance change belongs to its target's campaign."""
    if row.campaign_id is not None:
        return
    target = row.__dict__.get("target")  # loaded already, or read without loading it in the middle of a flush
    row.campaign_id = (
        target.campaign_id
        if target is not None
        else connection.scalar(select(CampaignTarget.campaign_id).where(CampaignTarget.id == row.target_id))
    )


class OutreachParticipant(db.Model):
    """A member who took part in an outreach on the coalition's side."""

    __tablename__ = "outreach_participants"

    outreach_id: Mapped[int] = mapped_column(ForeignKey("outreach_entries.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    #: The outreach's coalition; read through the outreach or the person, so not indexed.
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))


class Outreach(PublicIdMixin, TimestampMixin, db.Model):
    """One contact with a stakeholder: a call, a letter, a meeting, a delivered packet of stories."""

    __tablename__ = "outreach_entries"
    __table_args__ = (
        Index("ix_outreach_entries_stakeholder_occurred", "stakeholder_id", "occurred_at"),
        Index("ix_outreach_entries_follow_up", "coalition_id", "follow_up_done", "follow_up_on"),
        # A person's own follow-ups ("mine"): each section's count and page read one range of it, however many
        # follow-ups the coalition holds.
        Index(
            "ix_outreach_entries_owner_follow_up",
            "coalition_id",
            "follow_up_owner_id",
            "follow_up_done",
            "follow_up_on",
            "id",
        ),
        Index("ix_outreach_entries_coalition_response_occurred", "coalition_id", "response", "occurred_at"),
        # A campaign's latest outreach (last activity) walks it backwards.
        Index("ix_outreach_entries_campaign_occurred", "campaign_id", "occurred_at"),
        # The leads' outreach-per-week panel reads the last eight weeks from the index alone.
        Index("ix_outreach_entries_coalition_occurred", "coalition_id", "occurred_at"),
        # Stakeholders with no response: each one's latest outreach, still awaiting, oldest first.
        Index(
            "ix_outreach_entries_latest_response_occurred",
            "coalition_id",
            "response",
            "occurred_at",
            postgresql_where=text("is_latest"),
            sqlite_where=text("is_latest"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    channel: Mapped[Channel] = enum_column(Channel, default=Channel.CALL)
    summary: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    response: Mapped[Response] = enum_column(Response, default=Response.NONE)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    follow_up_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    follow_up_done: Mapped[bool] = mapped_column(Boolean, default=False)
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: The stakeholder meeting this outreach records, when logged from the Meetings side.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    #: The stakeholder's latest outreach (by occurred_at, then id): kept in SQL by `outreach.mark_latest`, so the
    #: no-response list reads one index instead of comparing every entry with the later ones.
    is_latest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    stakeholder = relationship("Stakeholder", back_populates="outreach")
    campaign = relationship("Campaign")
    follow_up_owner = relationship("User", foreign_keys=[follow_up_owner_id])
    logged_by = relationship("User", foreign_keys=[logged_by_id])
    #: Who took part, by name; read-only: `participant_rows` is what the services change.
    participants = relationship("User", secondary="outreach_participants", order_by="User.display_name", viewonly=True)
    participant_rows = relationship("OutreachParticipant", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def has_open_follow_up(self) -> bool:
        return self.follow_up_on is not None and not self.follow_up_done


class StakeholderImport(db.Model):
    """An uploaded CSV waiting for confirmation: the preview writes nothing, the confirmation writes all rows."""

    __tablename__ = "stakeholder_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    #: The decoded text of the file, parsed again on confirmation.
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Packet(db.Model):
    """A testimony packet delivered to a stakeholder: which stories, when, by whom, through which outreach."""

    __tablename__ = "packets"
    __table_args__ = (Index("ix_packets_coalition_delivered", "coalition_id", "delivered_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"), index=True)
    outreach_id: Mapped[int | None] = mapped_column(ForeignKey("outreach_entries.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    delivered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    campaign = relationship("Campaign")
    stakeholder = relationship("Stakeholder")
    outreach = relationship("Outreach")
    delivered_by = relationship("User")
    items = relationship(
        "PacketItem",
        back_populates="packet",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PacketItem.position",
    )


class PacketItem(db.Model):
    """One story in a packet, with the share recorded on the story when the packet was delivered."""

    __tablename__ = "packet_items"
    __table_args__ = (UniqueConstraint("packet_id", "story_id", name="uq_packet_items_packet_story"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    packet_id: Mapped[int] = mapped_column(ForeignKey("packets.id", ondelete="CASCADE"))
    #: The packet's coalition; read through the packet, so not indexed.
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    share_id: Mapped[int | None] = mapped_column(ForeignKey("story_shares.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    packet = relationship("Packet", back_populates="items")
    story = relationship("Story")
