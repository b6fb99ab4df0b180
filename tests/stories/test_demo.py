"""The demo seeder adds a dozen varied stories to "Safe Homes Now"."""

from sqlalchemy import select

from coalition.core.demo import DEMO_SLUG
from coalition.demo import seed_demo
from coalition.extensions import db
from coalition.stories.models import ExcerptStatus, Story, StoryExcerpt, StoryShare, StoryStatus, StoryVisibility


def test_demo_seeds_a_dozen_stories_with_varied_consent_and_states():
    assert seed_demo()
    db.session.commit()
    stories = db.session.scalars(select(Story).join(Story.coalition).where(Story.coalition.has(slug=DEMO_SLUG))).all()
    assert len(stories) == 12
    assert {s.visibility for s in stories} == set(StoryVisibility)
    assert {s.status for s in stories} == set(StoryStatus)
    assert sum(1 for s in stories if s.is_withdrawn) == 1
    assert all(s.campaign is not None and s.campaign.slug == "safe-homes-now" for s in stories)
    assert any(s.answers for s in stories)
    assert db.session.scalar(select(StoryExcerpt).where(StoryExcerpt.status == ExcerptStatus.PROPOSED))
    assert db.session.scalar(select(StoryShare))
