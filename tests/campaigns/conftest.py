"""Maker fixtures of the campaigns tests."""

import pytest

from coalition.extensions import db


@pytest.fixture
def make_campaign():
    """Create (and commit) a campaign through the service; fields override the defaults."""
    from coalition.campaigns.services import save_campaign

    counter = iter(range(1, 10_000))

    def make(coalition, **fields):
        n = next(counter)
        fields.setdefault("title", f"Campaign {n}")
        fields.setdefault("status", "active")
        campaign = save_campaign(coalition, None, **fields)
        db.session.commit()
        return campaign

    return make


@pytest.fixture
def organizer_client(client, make_coalition, make_member, login):
    """(client logged in as an organizer, coalition, organizer)."""
    coalition = make_coalition()
    organizer = make_member(coalition, "organizer")
    login(client, organizer)
    return client, coalition, organizer


@pytest.fixture
def make_story():
    """Add (and commit) a story to a campaign, approved by default, with answers {question: value}."""
    from coalition.stories.models import Story, StoryAnswer, StoryStatus

    def make(campaign, answers=None, **fields):
        fields.setdefault("status", StoryStatus.APPROVED)
        fields.setdefault("title", "A story")
        fields.setdefault("body", "What happened to us.")
        story = Story(coalition_id=campaign.coalition_id, campaign_id=campaign.id, **fields)
        for question, value in (answers or {}).items():
            story.answers.append(StoryAnswer(coalition_id=campaign.coalition_id, question_id=question.id, value=value))
        db.session.add(story)
        db.session.commit()
        return story

    return make
