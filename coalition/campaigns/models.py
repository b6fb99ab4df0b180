"""Campaigns, their storyteller questions, their updates timeline and their followers."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.core.models import PublicIdMixin, TimestampMixin, UTCDateTime, enum_column, utcnow
from coalition.extensions import db


class CampaignStatus(enum.StrEnum):
    PLANNING = "planning"
    ACTIVE = "active"
    WON = "won"
    LOST = "lost"
    PAUSED = "paused"
    ARCHIVED = "archived"


class QuestionKind(enum.StrEnum):
    NUMBER = "number"
    YES_NO = "yes_no"
    CHOICE = "choice"
    SHORT_TEXT = "short_text"


class Campaign(PublicIdMixin, TimestampMixin, db.Model):
    __tablename__ = "campaigns"
    __table_args__ = (
        UniqueConstraint("coalition_id", "slug", name="uq_campaigns_coalition_slug"),
        Index("ix_campaigns_coalition_status", "coalition_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: URL name of the public page, unique within the coalition.
    slug: Mapped[str] = mapped_column(String(80))
    summary: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    #: The decision the campaign wants made ...
    decision_sought: Mapped[str] = mapped_column(Text, default="")
    #: ... and by whom (a council, an agency, a landlord).
    decision_maker: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[CampaignStatus] = enum_column(CampaignStatus, default=CampaignStatus.PLANNING)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    #: Issue-area tags, lower-cased, e.g. ["housing", "repairs"].
    issue_tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Visitors may read /c/<slug>/campaigns/public/<campaign slug> (never while archived).
    public_page: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The invitation shown to storytellers above the story form.
    story_prompt: Mapped[str] = mapped_column(Text, default="")
    #: How many approved stories the campaign wants; None means no goal.
    story_goal: Mapped[int | None] = mapped_column()

    coalition = relationship("Coalition")
    questions = relationship(
        "CampaignQuestion",
        back_populates="campaign",
        order_by="CampaignQuestion.position",
        cascade="all, delete-orphan",
    )
    updates = relationship(
        "CampaignUpdate",
        back_populates="campaign",
        order_by="CampaignUpdate.created_at.desc()",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    followers = relationship(
        "CampaignFollower", back_populates="campaign", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_archived(self) -> bool:
        return self.status == CampaignStatus.ARCHIVED

    def __repr__(self) -> str:
        return f"<Campaign {self.slug}>"


class CampaignQuestion(db.Model):
    """A question storytellers answer alongside their story; the aggregated answers are the evidence."""

    __tablename__ = "campaign_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The campaign's coalition; read through the campaign, so not indexed.
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    #: Order on the story form, 1-based.
    position: Mapped[int] = mapped_column(default=1)
    kind: Mapped[QuestionKind] = enum_column(QuestionKind, default=QuestionKind.SHORT_TEXT)
    prompt: Mapped[str] = mapped_column(String(300))
    #: The options of a CHOICE question (empty for other kinds).
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)

    campaign = relationship("Campaign", back_populates="questions")


class CampaignUpdate(db.Model):
    """A dated entry in a campaign's timeline, written by an organizer and mailed to followers."""

    __tablename__ = "campaign_updates"
    __table_args__ = (Index("ix_campaign_updates_campaign_created", "campaign_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    #: None once the author deleted their account.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: Markdown, rendered through the sanitising |markdown filter.
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    campaign = relationship("Campaign", back_populates="updates")
    author = relationship("User")


class CampaignFollower(db.Model):
    """A member who asked to hear about a campaign's updates."""

    __tablename__ = "campaign_followers"
    __table_args__ = (UniqueConstraint("campaign_id", "user_id", name="uq_campaign_followers_campaign_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    #: The campaign's coalition; read through the campaign, so not indexed.
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    campaign = relationship("Campaign", back_populates="followers")
    user = relationship("User")
