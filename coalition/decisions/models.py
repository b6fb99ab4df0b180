"""Decisions members take together: the decision, its options, who may answer, and the answers.

Answers live in two shapes. On open and "organizers see names" decisions a `DecisionAnswer` row names its person.
On anonymous decisions nothing does: `DecisionParticipation` records *that* someone answered (so no one answers
twice and reminders skip them) and `AnonymousBallot` holds *what* was answered, with a random id, no person, no
timestamp and only the hash of a receipt that the person alone holds (see docs/decisions.md).
"""

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.campaigns.models import Campaign
from coalition.coalitions.models import enum_column
from coalition.core.models import TimestampMixin, UTCDateTime, utcnow
from coalition.extensions import db
from coalition.meetings.models import ActionItem, Meeting


class DecisionKind(enum.StrEnum):
    PROPOSAL = "proposal"
    POLL = "poll"
    SCORE = "score"
    RANKED = "ranked"
    TIME_POLL = "time_poll"


class Privacy(enum.StrEnum):
    OPEN = "open"  # everyone who may see the decision sees who answered what
    ORGANIZERS = "organizers"  # organizers see names, members only totals
    ANONYMOUS = "anonymous"  # nobody can link an answer to a person


class Audience(enum.StrEnum):
    MEMBERS = "members"
    TEAM = "team"
    INVITED = "invited"


class DecisionStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class Position(enum.StrEnum):
    """A proposal answer, consent-style."""

    AGREE = "agree"
    ABSTAIN = "abstain"
    DISAGREE = "disagree"
    BLOCK = "block"


class Availability(enum.StrEnum):
    """A time poll answer for one time."""

    YES = "yes"
    IF_NEED_BE = "if_need_be"
    NO = "no"


class CollectiveDecision(TimestampMixin, db.Model):
    """A decision of the coalition (named so to stay apart from the meetings' recorded `Decision` lines)."""

    __tablename__ = "decisions"
    __table_args__ = (
        Index("ix_decisions_coalition_status_closes", "coalition_id", "status", "closes_at"),
        # A campaign's latest decision closed (last activity, timeline) walks it backwards.
        Index("ix_decisions_campaign_closed", "campaign_id", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    kind: Mapped[DecisionKind] = enum_column(DecisionKind, default=DecisionKind.PROPOSAL)
    title: Mapped[str] = mapped_column(String(200))
    #: The question or proposal, in Markdown (rendered sanitised).
    body: Mapped[str] = mapped_column(Text, default="")
    #: Background links, one per line.
    links: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[Audience] = enum_column(Audience, default=Audience.MEMBERS)
    #: Fixed at creation: never changed afterwards.
    privacy: Mapped[Privacy] = enum_column(Privacy, default=Privacy.ORGANIZERS)
    #: No count anywhere before the close.
    results_hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Poll: how many options one person may choose.
    max_choices: Mapped[int] = mapped_column(default=1)
    #: Score: the highest score (0 is the lowest).
    score_max: Mapped[int] = mapped_column(default=5)
    #: Time poll: how long the meeting lasts, for each proposed time.
    duration_minutes: Mapped[int] = mapped_column(default=90)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Hours before the close at which `flask decisions remind` reminds those who have not answered.
    reminder_hours: Mapped[int] = mapped_column(default=24)
    status: Mapped[DecisionStatus] = enum_column(DecisionStatus, default=DecisionStatus.DRAFT)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The result frozen at the close (counts only, never names); later edits cannot change it.
    result: Mapped[dict | None] = mapped_column(JSON)
    #: How many were eligible and how many answered, frozen at the close.
    eligible_count: Mapped[int | None] = mapped_column()
    answered_count: Mapped[int | None] = mapped_column()
    outcome: Mapped[str] = mapped_column(Text, default="")
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Time poll: the meeting scheduled from the chosen time.
    scheduled_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    coalition = relationship("Coalition")
    campaign = relationship(Campaign)
    meeting = relationship(Meeting, foreign_keys=[meeting_id])
    scheduled_meeting = relationship(Meeting, foreign_keys=[scheduled_meeting_id])
    created_by = relationship("User")
    options = relationship(
        "DecisionOption",
        back_populates="decision",
        order_by="(DecisionOption.position, DecisionOption.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_anonymous(self) -> bool:
        return self.privacy == Privacy.ANONYMOUS

    @property
    def is_closed(self) -> bool:
        """Closed by an organizer, or past its closing time (answers are no longer taken)."""
        return self.status == DecisionStatus.CLOSED or (
            self.status == DecisionStatus.OPEN and self.closes_at <= utcnow()
        )

    @property
    def is_accepting(self) -> bool:
        """Open, begun and not yet closed."""
        now = utcnow()
        return self.status == DecisionStatus.OPEN and self.opens_at <= now < self.closes_at

    @property
    def background_links(self) -> list[str]:
        return [line.strip() for line in (self.links or "").splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<CollectiveDecision {self.id}>"


class DecisionOption(db.Model):
    __tablename__ = "decision_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(200))
    #: Time poll: the proposed start (UTC); the end follows from the decision's duration.
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    decision = relationship("CollectiveDecision", back_populates="options")


class DecisionInvitee(db.Model):
    """Someone invited by name to a decision whose audience is "people invited by name"."""

    __tablename__ = "decision_invitees"
    __table_args__ = (UniqueConstraint("decision_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    user = relationship("User")


class DecisionAnswer(TimestampMixin, db.Model):
    """A named answer (open and "organizers see names" decisions): one per person, changeable until the close."""

    __tablename__ = "decision_answers"
    __table_args__ = (UniqueConstraint("decision_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The answer in the shape of the kind (see decisions.answers).
    choice: Mapped[dict] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")

    user = relationship("User")


class DecisionParticipation(db.Model):
    """That a person answered an anonymous decision — and nothing about what they answered."""

    __tablename__ = "decision_participations"
    __table_args__ = (UniqueConstraint("decision_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class AnonymousBallot(db.Model):
    """What was answered on an anonymous decision: no person, no time, a random id, the hash of a receipt."""

    __tablename__ = "decision_anonymous_ballots"
    # WITHOUT ROWID on SQLite: there is no hidden insertion counter to line ballots up with participations.
    __table_args__ = {"sqlite_with_rowid": False}

    #: Random, so the id says nothing about the order of answers.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    choice: Mapped[dict] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    #: sha256 of the receipt only the voter holds; presenting the receipt lets them change this ballot.
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)


class DecisionActionItem(db.Model):
    """An action item (of the meetings domain) created from a decision's outcome."""

    __tablename__ = "decision_action_items"

    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True)
    action_item_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_action_items.id", ondelete="CASCADE"), primary_key=True
    )
    #: The decision's coalition; read through the decision, so not indexed.
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))

    action_item = relationship(ActionItem)


class Checkin(db.Model):
    """A campaign's recurring check-in: "How do you feel about where this campaign is going?" every N weeks."""

    __tablename__ = "decision_checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), unique=True)
    question: Mapped[str] = mapped_column(String(300))
    every_weeks: Mapped[int] = mapped_column(default=4)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    campaign = relationship(Campaign)


class CheckinResponse(db.Model):
    """An anonymous check-in answer: the period it belongs to, 1–5 and a comment; no person, no time."""

    __tablename__ = "decision_checkin_responses"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("decision_checkins.id", ondelete="CASCADE"), index=True)
    #: 0 for the first N weeks after the start, 1 for the next, ...
    period: Mapped[int] = mapped_column()
    rating: Mapped[int] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")


class CheckinGiven(db.Model):
    """That a person answered a check-in period (so nobody answers twice), apart from the answer."""

    __tablename__ = "decision_checkins_given"
    __table_args__ = (UniqueConstraint("checkin_id", "period", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("decision_checkins.id", ondelete="CASCADE"))
    period: Mapped[int] = mapped_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
