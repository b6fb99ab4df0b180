"""Makers for the stakeholder tests: stakeholders, campaigns, targets, outreach."""

import itertools
from datetime import UTC, datetime

import pytest

from coalition.extensions import db

_counter = itertools.count(1)


@pytest.fixture
def make_campaign():
    """Create (and commit) a campaign in a coalition."""
    from coalition.campaigns.models import Campaign

    def make(coalition, title=None, **fields):
        n = next(_counter)
        campaign = Campaign(
            coalition_id=coalition.id,
            title=title or f"Campaign {n}",
            slug=fields.pop("slug", f"campaign-{n}"),
            **fields,
        )
        db.session.add(campaign)
        db.session.commit()
        return campaign

    return make


@pytest.fixture
def make_stakeholder():
    """Create (and commit) a stakeholder in a coalition."""
    from coalition.stakeholders.models import Stakeholder

    def make(coalition, name=None, **fields):
        n = next(_counter)
        fields.setdefault("organization", f"Agency {n}")
        stakeholder = Stakeholder(coalition_id=coalition.id, name=name or f"Stakeholder {n}", **fields)
        db.session.add(stakeholder)
        db.session.commit()
        return stakeholder

    return make


@pytest.fixture
def make_target():
    """Make a stakeholder a target of a campaign through the service (so the stance history starts)."""
    from coalition.stakeholders import services

    def make(stakeholder, campaign, by=None, stance="neutral", influence=3, priority="medium", owner=None):
        target = services.add_target(
            stakeholder, by, campaign_id=campaign.id, stance=stance, influence=influence, priority=priority, owner=owner
        )
        db.session.commit()
        return target

    return make


@pytest.fixture
def make_outreach():
    """Log (and commit) an outreach through the service."""
    from coalition.stakeholders.outreach import log_outreach

    def make(stakeholder, by, **fields):
        values = {
            "occurred_at": datetime.now(UTC),
            "channel": "call",
            "summary": "Called the office.",
            "outcome": "",
            "response": "awaiting",
            "follow_up_on": None,
            "follow_up_owner": None,
            "participant_ids": [],
        }
        values.update(fields)
        entry = log_outreach(stakeholder, by, **values)
        db.session.commit()
        return entry

    return make


@pytest.fixture
def team(make_coalition, make_member):
    """A coalition with a lead, an organizer and a member, and an outsider organizer of another coalition."""
    coalition = make_coalition()
    other = make_coalition()
    return {
        "coalition": coalition,
        "other": other,
        "lead": make_member(coalition, "lead"),
        "organizer": make_member(coalition, "organizer"),
        "member": make_member(coalition, "member"),
        "outsider": make_member(other, "organizer"),
    }


@pytest.fixture
def make_story():
    """Create (and commit) an approved story whose storyteller allows sharing it with decision-makers."""
    from coalition.core.models import utcnow
    from coalition.stories.models import Attribution, Story, StoryStatus

    def make(coalition, storyteller, campaign=None, **fields):
        n = next(_counter)
        values = {
            "title": f"Story {n}",
            "body": f"Unique text of story {n}: the heat was off all winter.",
            "status": StoryStatus.APPROVED,
            "share_with_decision_makers": True,
            "attribution": Attribution.FULL,
            "approved_at": utcnow(),
            "submitted_at": utcnow(),
        }
        values.update(fields)
        story = Story(
            coalition_id=coalition.id,
            campaign_id=campaign.id if campaign else None,
            storyteller_id=storyteller.id,
            **values,
        )
        db.session.add(story)
        db.session.commit()
        return story

    return make


@pytest.fixture
def make_meeting():
    """Create (and commit) a stakeholder meeting."""
    from datetime import timedelta

    from coalition.meetings.models import Meeting, MeetingKind

    def make(coalition, start_at=None, **fields):
        start_at = start_at or datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
        meeting = Meeting(
            coalition_id=coalition.id,
            kind=MeetingKind.STAKEHOLDER_MEETING,
            title=fields.pop("title", "Meeting with the council member"),
            start_at=start_at,
            end_at=start_at + timedelta(hours=1),
            **fields,
        )
        db.session.add(meeting)
        db.session.commit()
        return meeting

    return make
