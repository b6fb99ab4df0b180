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
    from coalition.stakeholders import services

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
        outreach = services.log_outreach(stakeholder, by, **values)
        db.session.commit()
        return outreach

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
