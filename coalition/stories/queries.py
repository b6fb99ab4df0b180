"""Read-only story queries: lists, search, counts, and the audit of organizers' reads of private stories.

Every list starts from `rules.visible_stories()` (or `rules.public_stories()`), so no list can show a story its
viewer may not see; `display_options()` loads what `present_story()` reads, so query counts stay bounded.
"""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from coalition.campaigns.models import Campaign
from coalition.coalitions.models import Coalition
from coalition.core.audit import record_audit
from coalition.core.tags import parse_tags
from coalition.extensions import db
from coalition.stories import counts
from coalition.stories.models import ExcerptStatus, Story, StoryAnswer, StoryExcerpt, StoryStatus, StoryTag
from coalition.stories.rules import public_stories, reads_are_audited, visible_stories
from coalition.stories.search import matches


def display_options():
    """Loader options for everything `present_story()` reads, so lists run a fixed number of queries."""
    return (joinedload(Story.storyteller), joinedload(Story.campaign), selectinload(Story.excerpts))


def campaign_story_counts(campaign_ids) -> dict[int, int]:
    """Approved stories that are neither withdrawn nor deleted, per campaign, in one query (kept counts)."""
    return counts.campaign_totals(campaign_ids)


def question_answer_counts(question_ids) -> dict[int, int]:
    """{question id: how many stories answered it} for the given questions, in one query (absent: none)."""
    ids = list(question_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(StoryAnswer.question_id, func.count(func.distinct(StoryAnswer.story_id)))
        .where(StoryAnswer.question_id.in_(ids))
        .group_by(StoryAnswer.question_id)
    )
    return {question_id: count for question_id, count in rows}


def decision_maker_stories(coalition: Coalition, campaign: Campaign | None = None):
    """select(Story): approved stories whose storytellers allow sharing them with decision-makers."""
    statement = (
        select(Story)
        .where(
            Story.coalition_id == coalition.id,
            Story.status == StoryStatus.APPROVED,
            Story.share_with_decision_makers.is_(True),
            Story.withdrawn_at.is_(None),
            Story.deleted_at.is_(None),
        )
        .options(*display_options())
        .order_by(Story.approved_at.desc(), Story.id.desc())
    )
    if campaign is not None:
        statement = statement.where(Story.campaign_id == campaign.id)
    return statement


def _filtered(statement, coalition_id: int, *, q=None, campaign_id=None, tag=None, status=None, language=None):
    clause = matches(q)
    if clause is not None:
        statement = statement.where(clause)
    if campaign_id:
        statement = statement.where(Story.campaign_id == campaign_id)
    tags = parse_tags(tag or "")
    if tags:
        tagged = select(StoryTag.story_id).where(StoryTag.coalition_id == coalition_id, StoryTag.tag == tags[0])
        statement = statement.where(Story.id.in_(tagged))
    if status in {s.value for s in StoryStatus}:
        statement = statement.where(Story.status == status)
    if language:
        statement = statement.where(Story.language == language)
    return statement.order_by(Story.created_at.desc(), Story.id.desc())


def search_stories(viewer, coalition: Coalition, **filters):
    """select(Story) of what `viewer` may see, searched (`q`) and filtered (campaign_id, tag, status, language)."""
    return _filtered(visible_stories(viewer, coalition), coalition.id, **filters).options(*display_options())


def search_public_stories(coalition: Coalition, campaign: Campaign | None = None, **filters):
    """select(Story) of the public stories of a coalition (or one campaign), searched and filtered."""
    return _filtered(public_stories(coalition, campaign), coalition.id, **filters).options(*display_options())


def story_ids(statement, q=None):
    """The ids of a story search, in its order: page through these, then load the page with `stories_by_id()`.

    On PostgreSQL the words of each story are stored (`search.SEARCH_COLUMN`), so the planner may walk the stories'
    date index and test each row cheaply until it has a page (page 1 of a frequent word reads ~70 rows), or read the
    GIN index for a rare word and sort the few matches; no match is re-parsed and not every match is sorted.
    """
    return statement.with_only_columns(Story.id)


def stories_by_id():
    """select(Story) with what lists display, for loading one page of ids (see core.pagination.paginate)."""
    return select(Story).options(*display_options())


def my_stories(user, coalition: Coalition):
    """select(Story) of a person's own stories (withdrawn ones included, deleted ones not), newest first."""
    return (
        select(Story)
        .where(Story.coalition_id == coalition.id, Story.storyteller_id == user.id, Story.deleted_at.is_(None))
        .options(*display_options())
        .order_by(Story.created_at.desc(), Story.id.desc())
    )


def waiting_for_review_count(coalition: Coalition) -> int:
    """How many submitted stories wait for the organizers' review."""
    return db.session.scalar(
        select(func.count(Story.id)).where(
            Story.coalition_id == coalition.id,
            Story.status == StoryStatus.SUBMITTED,
            Story.withdrawn_at.is_(None),
            Story.deleted_at.is_(None),
        )
    )


def excerpts_waiting_for(user, coalition: Coalition, limit: int = 10) -> list[tuple[int, str]]:
    """The (id, title) of this person's stories whose proposed excerpt waits for their answer, newest first."""
    return db.session.execute(
        select(Story.id, Story.title)
        .join(StoryExcerpt, StoryExcerpt.story_id == Story.id)
        .where(
            Story.coalition_id == coalition.id,
            Story.storyteller_id == user.id,
            Story.withdrawn_at.is_(None),
            Story.deleted_at.is_(None),
            StoryExcerpt.status == ExcerptStatus.PROPOSED,
        )
        .order_by(StoryExcerpt.id.desc())
        .limit(limit)
    ).all()


def note_private_reads(stories, viewer, coalition: Coalition, place: str) -> bool:
    """Write to the audit log that an organizer read stories their storytellers kept to the organizing team.

    Returns True when an entry was added (the caller commits it).
    """
    private = [s for s in stories if reads_are_audited(s, viewer)]
    if not private:
        return False
    record_audit(
        "story.read_private",
        actor=viewer,
        coalition=coalition,
        obj=private[0] if len(private) == 1 else None,
        place=place,
        story_ids=[s.id for s in private],
    )
    return True
