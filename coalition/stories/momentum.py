"""What stories give campaign momentum (the people who told a story, when stories came in) and the dashboard's
stories panel."""

from functools import cache
from typing import NamedTuple

from sqlalchemy import Integer, String, bindparam, case, literal, null, select, union_all

from coalition.campaigns.tallies import ReachSource, counted, person_key
from coalition.core.permissions import can
from coalition.extensions import db
from coalition.stories import counts
from coalition.stories.counts import kept_total
from coalition.stories.models import ExcerptStatus, Story, StoryExcerpt, StoryShare, StoryStatus
from coalition.stories.queries import MINE_ORDER, mine

PANEL_LIMIT = 5
#: The parts of the panel's query of my stories.
_STORY, _EXCERPT, _SHARE = 0, 1, 2


class MyStory(NamedTuple):
    """One of my stories as the panel lists it."""

    id: int
    title: str
    status: StoryStatus
    is_withdrawn: bool


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


def _mine(user, coalition) -> dict[str, list]:
    """My latest stories (id, title, status, withdrawn), the stories whose excerpt waits for my answer (id, title),
    oldest proposal first, and where my stories went (id, title, recipient, organization, when), latest first: one
    query of three parts, each read up to PANEL_LIMIT rows by its own index and order."""
    found = {_STORY: [], _EXCERPT: [], _SHARE: []}
    for part, story_id, title, status, withdrawn_at, recipient, organization, seq, at in db.session.execute(
        _mine_statement(), {"user_id": user.id, "coalition_id": coalition.id}
    ):
        found[part].append((story_id, title, status, withdrawn_at, recipient, organization, seq, at))
    # Each part keeps its own order (a UNION does not); `at` is a timestamp of the part's index, `seq` its tiebreak.
    newest_first = sorted(found[_STORY], key=lambda r: (r[7], r[6]), reverse=True)
    oldest_first = sorted(found[_EXCERPT], key=lambda r: (r[7], r[6]))
    latest_first = sorted(found[_SHARE], key=lambda r: (r[7], r[6]), reverse=True)
    return {
        "stories": [MyStory(r[0], r[1], StoryStatus(r[2]), r[3] is not None) for r in newest_first],
        "excerpts": [(r[0], r[1]) for r in oldest_first],
        "shares": [(r[0], r[1], r[4], r[5], r[7]) for r in latest_first],
    }


@cache
def _mine_statement():
    """Built once (every dashboard asks): the three parts of `_mine` for :user_id in :coalition_id."""
    own = mine(bindparam("user_id"), bindparam("coalition_id"))
    stories = (
        select(Story.id, Story.title, Story.status, Story.withdrawn_at, Story.created_at.label("at"))
        .where(*own)
        .order_by(*MINE_ORDER)
        .limit(PANEL_LIMIT)
    )
    excerpts = (
        select(Story.id, Story.title, StoryExcerpt.id.label("seq"), StoryExcerpt.created_at.label("at"))
        .join(StoryExcerpt, StoryExcerpt.story_id == Story.id)
        .where(*own, Story.withdrawn_at.is_(None), StoryExcerpt.status == ExcerptStatus.PROPOSED)
        .order_by(StoryExcerpt.created_at, StoryExcerpt.id)
        .limit(PANEL_LIMIT)
    )
    shares = (
        select(Story.id, Story.title, StoryShare.recipient_name, StoryShare.recipient_organization)
        .add_columns(StoryShare.id.label("seq"), StoryShare.shared_at.label("at"))
        .join(StoryShare, StoryShare.story_id == Story.id)
        .where(*own)
        .order_by(StoryShare.shared_at.desc(), StoryShare.id.desc())
        .limit(PANEL_LIMIT)
    )
    parts = [part.subquery() for part in (stories, excerpts, shares)]
    text, none = literal("", String), null()
    return union_all(
        select(literal(_STORY, Integer), *parts[0].c[:4], text, text, parts[0].c.id, parts[0].c.at),
        select(literal(_EXCERPT, Integer), *parts[1].c[:2], none, none, text, text, *parts[1].c[2:]),
        select(literal(_SHARE, Integer), *parts[2].c[:2], none, none, *parts[2].c[2:]),
    )


def _waiting_review(coalition):
    """The submitted stories waiting longest for review, and how many wait (kept in `story_status_counts`): one
    query, the kept count read alongside each row (with no row, none waits)."""
    rows = db.session.execute(_waiting_statement(), {"coalition_id": coalition.id}).all()
    return [row[:3] for row in rows], (rows[0][3] or 0) if rows else 0


@cache
def _waiting_statement():
    """Built once: `_waiting_review` of :coalition_id."""
    coalition_id = bindparam("coalition_id")
    return (
        select(Story.id, Story.title, Story.submitted_at, kept_total(coalition_id, [StoryStatus.SUBMITTED]))
        .where(
            Story.coalition_id == coalition_id,
            Story.status == StoryStatus.SUBMITTED,
            Story.withdrawn_at.is_(None),
            Story.deleted_at.is_(None),
        )
        .order_by(Story.submitted_at, Story.id)
        .limit(PANEL_LIMIT)
    )


def stories_panel(coalition, user) -> dict:
    """My stories with their status, each excerpt waiting for my answer, where my stories went; for the organizing
    team, the stories waiting longest for review (one query, two for the team)."""
    review = _waiting_review(coalition) if can("story.review", coalition, user=user) else None
    return {
        **_mine(user, coalition),
        "review": review[0] if review else None,
        "waiting_review": review[1] if review else None,
    }
