"""Stories (testimonies), their consent history, answers to campaign questions, excerpts and shares."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, event, inspect, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from coalition.core.models import PublicIdMixin, TimestampMixin, UTCDateTime, enum_column, utcnow
from coalition.core.tags import TaggedMixin
from coalition.extensions import db

#: Limits shared by forms and services.
TITLE_MAX = 200
BODY_MAX = 20_000
SHORT_ANSWER_MAX = 300
#: Tags are normalised to at most 40 characters (core.tags.normalize_tag).
TAG_MAX = 40


class StoryVisibility(enum.StrEnum):
    TEAM = "team"  # the organizing team only (organizers and leads)
    MEMBERS = "members"  # every member of the coalition
    PUBLIC = "public"  # anyone, on the public pages


class Attribution(enum.StrEnum):
    FULL = "full"
    FIRST_INITIAL = "first_initial"
    ANONYMOUS = "anonymous"


class StoryStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class ExcerptStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"


#: The consent fields of a story; only the storyteller (or their private link) may change them.
CONSENT_FIELDS = ("visibility", "attribution", "share_with_decision_makers", "press_ok")

#: The conditions of the lists' partial indexes, as `rules.audience_clause()` writes them (constants inline): what
#: members see of other people's stories, what the organizing team sees, what everyone sees, and the stories a
#: campaign counts.
#: The planner uses an index only when the query says the same; tests/stories/test_list_queries.py checks it does.
MEMBER_AUDIENCE = (
    "status = 'approved' AND visibility IN ('members', 'public') AND withdrawn_at IS NULL AND deleted_at IS NULL"
)
TEAM_AUDIENCE = "status IN ('submitted', 'approved', 'returned') AND withdrawn_at IS NULL AND deleted_at IS NULL"
PUBLIC_AUDIENCE = "status = 'approved' AND visibility = 'public' AND withdrawn_at IS NULL AND deleted_at IS NULL"
COUNTED = "status = 'approved' AND withdrawn_at IS NULL AND deleted_at IS NULL"
#: The columns of the lists' filters (other than the full text and the tag).
LIST_FILTERS = ("campaign_id", "status", "language")


def _partial(name: str, condition: str, *columns: str) -> Index:
    return Index(name, *columns, postgresql_where=text(condition), sqlite_where=text(condition))


class Story(PublicIdMixin, TaggedMixin, TimestampMixin, db.Model):
    __tablename__ = "stories"
    __table_args__ = (
        Index("ix_stories_coalition_status_submitted", "coalition_id", "status", "submitted_at"),
        Index("ix_stories_coalition_created", "coalition_id", "created_at"),
        # A campaign's latest story (last activity) walks it backwards.
        Index("ix_stories_campaign_submitted", "campaign_id", "submitted_at"),
        # Lists, newest first: each audience walks its own index, and counts and deep pages read the index alone
        # (the list filters' columns come last, so that a filter is tested in the index too).
        _partial("ix_stories_member_list", MEMBER_AUDIENCE, "coalition_id", "created_at", "id", *LIST_FILTERS),
        _partial("ix_stories_team_list", TEAM_AUDIENCE, "coalition_id", "created_at", "id", *LIST_FILTERS),
        _partial("ix_stories_public_list", PUBLIC_AUDIENCE, "coalition_id", "created_at", "id", *LIST_FILTERS),
        _partial(
            "ix_stories_team_campaign",
            TEAM_AUDIENCE,
            *("coalition_id", "campaign_id", "created_at", "id", "status", "language"),
        ),
        # The evidence report: a campaign's counted stories, the most recently approved first.
        _partial(
            "ix_stories_counted_campaign",
            COUNTED,
            *("coalition_id", "campaign_id", "approved_at", "id", "share_with_decision_makers"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)
    #: The member who tells the story; NULL for a visitor without account or once anonymised.
    storyteller_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: The organizer who recorded the story on the storyteller's behalf, if any.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: Name a storyteller without account gave (used for attribution only).
    intake_name: Mapped[str | None] = mapped_column(String(120))
    #: Where the private manage link of a storyteller without account is mailed; never displayed.
    intake_email: Mapped[str | None] = mapped_column(String(320))
    #: Hash of the private manage link's token (visitors and people recorded without account).
    manage_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    title: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    #: Plain text or a safe Markdown subset, rendered through the sanitising |markdown filter.
    body: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(10), default="en")
    #: Lower-cased tags, e.g. ["mold", "repairs"], in the storyteller's order, for display; lists filter by tag
    #: through `tag_rows` (the story_tags table), which the services keep equal to this list.
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Coarse location only: a neighbourhood or postal code.
    location: Mapped[str | None] = mapped_column(String(120))
    content_note: Mapped[str | None] = mapped_column(String(300))

    status: Mapped[StoryStatus] = enum_column(StoryStatus, default=StoryStatus.DRAFT)
    #: The organizers' note with the last decision (why it was returned).
    review_note: Mapped[str | None] = mapped_column(Text)

    visibility: Mapped[StoryVisibility] = enum_column(StoryVisibility, "visibility", default=StoryVisibility.TEAM)
    attribution: Mapped[Attribution] = enum_column(Attribution, default=Attribution.ANONYMOUS)
    share_with_decision_makers: Mapped[bool] = mapped_column(Boolean, default=False)
    press_ok: Mapped[bool] = mapped_column(Boolean, default=False)

    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set when the text was erased for good; the row stays so the consent history keeps its meaning.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    coalition = relationship("Coalition")
    campaign = relationship("Campaign")
    storyteller = relationship("User", foreign_keys=[storyteller_id])
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    tag_rows = relationship("StoryTag", back_populates="story", cascade="all, delete-orphan", passive_deletes=True)
    answers = relationship("StoryAnswer", back_populates="story", cascade="all, delete-orphan", passive_deletes=True)
    excerpts = relationship(
        "StoryExcerpt",
        back_populates="story",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="StoryExcerpt.id",
    )
    #: The accepted excerpts alone, read-only: what a list loads in the same statement as its stories (joined), where
    #: loading every excerpt would take a statement of its own. `excerpts` stays the one to change.
    accepted_excerpts = relationship(
        "StoryExcerpt",
        primaryjoin="and_(StoryExcerpt.story_id == Story.id, StoryExcerpt.status == 'accepted')",
        viewonly=True,
        order_by="StoryExcerpt.id",
    )
    consent_changes = relationship(
        "ConsentChange",
        back_populates="story",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ConsentChange.id",
    )
    shares = relationship(
        "StoryShare",
        back_populates="story",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="StoryShare.id",
    )

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_gone(self) -> bool:
        """Withdrawn or deleted: shown to nobody but its storyteller."""
        return self.withdrawn_at is not None or self.deleted_at is not None

    @property
    def accepted_excerpt(self):
        """The most recently accepted excerpt, shown in place of the original text."""
        loaded = inspect(self).dict
        # Every excerpt when they are loaded (they are what changes); else the accepted ones a list loaded with it.
        source = self.accepted_excerpts if "accepted_excerpts" in loaded and "excerpts" not in loaded else self.excerpts
        accepted = [e for e in source if e.status == ExcerptStatus.ACCEPTED]
        return max(accepted, key=lambda e: (e.decided_at or e.created_at, e.id)) if accepted else None

    @property
    def pending_excerpt(self):
        """The excerpt waiting for the storyteller's answer, if any."""
        return next((e for e in self.excerpts if e.status == ExcerptStatus.PROPOSED), None)

    def is_owned_by(self, user) -> bool:
        """Is `user` the storyteller (the only person who controls the story and its consent)?"""
        return (
            user is not None
            and getattr(user, "is_authenticated", False)
            and self.storyteller_id is not None
            and self.storyteller_id == user.id
        )

    def __repr__(self) -> str:
        return f"<Story {self.id}>"


class StoryTag(db.Model):
    """One tag of one story: what the tag filter reads, with copies of what the visibility rules read of the story.

    A tag list walks one of the partial indexes below, newest first, without reading the stories; the copies are
    kept equal to the story's own columns when a row is made (`copy_story_state`) and whenever the story's row is
    updated (`_copy_changed_story_state`).
    """

    __tablename__ = "story_tags"
    __table_args__ = (
        Index("ix_story_tags_coalition_tag_story", "coalition_id", "tag", "story_id"),
        _partial(
            "ix_story_tags_member_list", MEMBER_AUDIENCE, "coalition_id", "tag", "created_at", "story_id", *LIST_FILTERS
        ),
        _partial(
            "ix_story_tags_team_list", TEAM_AUDIENCE, "coalition_id", "tag", "created_at", "story_id", *LIST_FILTERS
        ),
    )

    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(TAG_MAX), primary_key=True)
    #: The story's coalition, copied so the filter reads the index alone (the index also serves the foreign key).
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))
    #: Copies of the story's status, visibility, withdrawal, deletion and creation, campaign and language (see
    #: TAG_COPIES). The campaign is also a foreign key, so that deleting a campaign clears it here too.
    status: Mapped[str] = mapped_column(String(30))
    visibility: Mapped[str] = mapped_column(String(30))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(10))

    story = relationship("Story", back_populates="tag_rows")

    def __repr__(self) -> str:
        return f"<StoryTag {self.story_id} {self.tag}>"


#: The columns of a story that its tag rows copy.
TAG_COPIES = ("status", "visibility", "withdrawn_at", "deleted_at", "created_at", "campaign_id", "language")


def _copied(value):
    return str(value) if isinstance(value, enum.Enum) else value


def copy_story_state(row: StoryTag, story: Story) -> None:
    """Make a tag row's copies equal to its story's columns."""
    for name in TAG_COPIES:
        setattr(row, name, _copied(getattr(story, name)))


@event.listens_for(StoryTag, "before_insert")
def _tag_coalition(_mapper, _connection, row: StoryTag) -> None:
    """A tag row belongs to its story's coalition and copies its state (the story is inserted first)."""
    row.coalition_id = row.story.coalition_id
    copy_story_state(row, row.story)


@event.listens_for(Story, "after_update")
def _copy_changed_story_state(_mapper, connection, story: Story) -> None:
    """After a story's row is updated, give its tag rows the new values of the copied columns (one UPDATE).

    After the update, not before the flush: a campaign set through `story.campaign` reaches `campaign_id` only in
    the flush. Tag rows loaded in the session get the values as committed, so they do not look changed.
    """
    state = inspect(story)
    if not any(state.attrs[name].history.has_changes() for name in TAG_COPIES):
        return
    copies = {name: _copied(getattr(story, name)) for name in TAG_COPIES}
    tags = StoryTag.__table__
    connection.execute(tags.update().where(tags.c.story_id == story.id).values(**copies))
    for row in state.dict.get("tag_rows") or []:
        for name, value in copies.items():
            set_committed_value(row, name, value)


class ConsentChange(db.Model):
    """One change of one consent choice: who, when, through what, from what to what."""

    __tablename__ = "story_consent_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    #: The story's coalition; read through the story, so not indexed.
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))
    #: The person who made the change; NULL for a visitor's private link or a deleted account.
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: "storyteller", "visitor_link", "organizer_record" or "system" (account deletion).
    via: Mapped[str] = mapped_column(String(30))
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(String(40))
    new_value: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    story = relationship("Story", back_populates="consent_changes")
    changed_by = relationship("User")


class StoryAnswer(db.Model):
    """A storyteller's answer to one of the campaign's questions."""

    __tablename__ = "story_answers"
    #: A story's answer to one question in one lookup (the evidence report's short answers); serves the foreign key.
    __table_args__ = (Index("ix_story_answers_story_question", "story_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    #: The story's coalition; read through the story or the question, so not indexed.
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("campaign_questions.id", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(Text)

    story = relationship("Story", back_populates="answers")
    question = relationship("CampaignQuestion")


class StoryExcerpt(db.Model):
    """An edited or shortened version proposed by an organizer; used only once the storyteller accepts it."""

    __tablename__ = "story_excerpts"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    #: The story's coalition; read through the story, so not indexed.
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[ExcerptStatus] = enum_column(ExcerptStatus, default=ExcerptStatus.PROPOSED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    story = relationship("Story", back_populates="excerpts")
    proposed_by = relationship("User")


class StoryShare(db.Model):
    """A time a story was shared outside the coalition (shown to its storyteller: "where my story went")."""

    __tablename__ = "story_shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_organization: Mapped[str | None] = mapped_column(String(200))
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    #: The testimony packet (stakeholders domain) this share was part of; a plain id, no foreign key.
    packet_id: Mapped[int | None] = mapped_column(Integer, index=True)

    story = relationship("Story", back_populates="shares")
    shared_by = relationship("User")
