"""What stories give campaign momentum (the people who told a story, when stories came in) and the dashboard's
stories panel."""

from sqlalchemy import case, select

from coalition.campaigns.tallies import ReachSource, counted, person_key
from coalition.core.permissions import can
from coalition.extensions import db
from coalition.stories import counts
from coalition.stories.models import ExcerptStatus, Story, StoryExcerpt, StoryShare, StoryStatus
from coalition.stories.queries import my_stories

PANEL_LIMIT = 5


def _told():
    return Story.status != StoryStatus.DRAFT, Story.withdrawn_at.is_(None), Story.deleted_at.is_(None)


def reach_contributions(touched=None, coalition_id=None):
    """Counter{(coalition, campaign, person): stories}: storytellers by account, visitors of the intake form by
    email, for the given stories (or a whole coalition)."""
    email = case((Story.storyteller_id.is_(None), Story.intake_email), else_=None)
    statement = select(Story.coalition_id, Story.campaign_id, person_key(Story.storyteller_id, email)).where(
        *_told(), Story.campaign_id.is_not(None)
    )
    if touched is not None:
        statement = statement.where(Story.id.in_(sorted(touched)))
    if coalition_id is not None:
        statement = statement.where(Story.coalition_id == coalition_id)
    return counted(db.session.execute(statement))


#: What stories add to the people a campaign reached.
REACH = ReachSource(counts.touched_story_ids, reach_contributions)


def last_activity(campaign_id):
    """When the campaign's latest story was submitted (a subquery walking (campaign_id, submitted_at) backwards)."""
    return (
        select(Story.submitted_at)
        .where(Story.campaign_id == campaign_id, Story.submitted_at.is_not(None), *_told())
        .order_by(Story.submitted_at.desc())
        .limit(1)
        .scalar_subquery()
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
    """The submitted stories waiting longest for review, and how many wait (kept in `story_status_counts`)."""
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
    waiting_count = counts.status_counts(coalition.id).get(StoryStatus.SUBMITTED, 0)
    return db.session.execute(waiting.limit(PANEL_LIMIT)).all(), waiting_count


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
