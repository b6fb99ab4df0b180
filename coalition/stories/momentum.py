"""What stories give campaign momentum (the people who told a story, when stories came in) and the dashboard's
stories panel."""

from sqlalchemy import case, select

from coalition.campaigns.momentum import person_row
from coalition.core.permissions import can
from coalition.extensions import db
from coalition.stories.models import ExcerptStatus, Story, StoryExcerpt, StoryShare, StoryStatus
from coalition.stories.queries import my_stories, waiting_for_review_count

PANEL_LIMIT = 5


def _told(campaign_ids):
    return (
        Story.campaign_id.in_(campaign_ids),
        Story.status != StoryStatus.DRAFT,
        Story.withdrawn_at.is_(None),
        Story.deleted_at.is_(None),
    )


def people_reached(campaign_ids):
    """select(campaign_id, user_id, email): storytellers by account, visitors of the intake form by email."""
    email = case((Story.storyteller_id.is_(None), Story.intake_email), else_=None)
    return select(*person_row(Story.campaign_id, Story.storyteller_id, email)).where(
        *_told(campaign_ids), Story.storyteller_id.is_not(None) | Story.intake_email.is_not(None)
    )


def last_activity(campaign_ids):
    """select(campaign_id, at): when stories were submitted."""
    return select(Story.campaign_id.label("campaign_id"), Story.submitted_at.label("at")).where(
        *_told(campaign_ids), Story.submitted_at.is_not(None)
    )


# --- Dashboard panel -----------------------------------------------------------------------------------------


def _pending_excerpts(user, coalition):
    """(story id, story title) of my stories whose excerpt waits for my answer, oldest proposal first."""
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
        .order_by(StoryExcerpt.created_at, StoryExcerpt.id)
        .limit(PANEL_LIMIT)
    ).all()


def _where_they_went(user, coalition):
    """The latest shares of my stories: (story id, story title, recipient, organization, when)."""
    return db.session.execute(
        select(
            Story.id, Story.title, StoryShare.recipient_name, StoryShare.recipient_organization, StoryShare.shared_at
        )
        .join(StoryShare, StoryShare.story_id == Story.id)
        .where(Story.coalition_id == coalition.id, Story.storyteller_id == user.id, Story.deleted_at.is_(None))
        .order_by(StoryShare.shared_at.desc(), StoryShare.id.desc())
        .limit(PANEL_LIMIT)
    ).all()


def _waiting_review(coalition):
    """The submitted stories waiting longest for review, and how many wait."""
    waiting = (
        select(Story.id, Story.title, Story.submitted_at)
        .where(
            Story.coalition_id == coalition.id,
            Story.status == StoryStatus.SUBMITTED,
            Story.withdrawn_at.is_(None),
            Story.deleted_at.is_(None),
        )
        .order_by(Story.submitted_at, Story.id)
    )
    return db.session.execute(waiting.limit(PANEL_LIMIT)).all(), waiting_for_review_count(coalition)


def stories_panel(coalition, user) -> dict:
    """My stories with their status, each excerpt waiting for my answer, where my stories went; for the organizing
    team, the stories waiting longest for review (at most five queries)."""
    review = _waiting_review(coalition) if can("story.review", coalition, user=user) else None
    return {
        "stories": db.session.scalars(my_stories(user, coalition).limit(PANEL_LIMIT)).all(),
        "excerpts": _pending_excerpts(user, coalition),
        "shares": _where_they_went(user, coalition),
        "review": review[0] if review else None,
        "waiting_review": review[1] if review else None,
    }
