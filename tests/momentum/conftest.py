"""Rows for the momentum tests, made directly (the domains' own tests cover their services)."""

from datetime import timedelta

import pytest

from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.meetings.models import Meeting, Rsvp, RsvpResponse, WalkIn
from coalition.stories.models import Story, StoryStatus


@pytest.fixture
def world(make_coalition, make_member):
    """A coalition with a lead, an organizer and a member, and an active campaign."""
    from coalition.campaigns.services import save_campaign

    coalition = make_coalition()
    people = {role: make_member(coalition, role) for role in ("lead", "organizer", "member")}
    campaign = save_campaign(coalition, None, title="Safe Homes Now", status="active", story_goal=10, public_page=True)
    db.session.commit()
    return {"coalition": coalition, "campaign": campaign, **people}


@pytest.fixture
def add_story():
    def add(campaign, storyteller=None, **fields):
        fields.setdefault("status", StoryStatus.APPROVED)
        fields.setdefault("submitted_at", utcnow() - timedelta(days=2))
        story = Story(
            coalition_id=campaign.coalition_id,
            campaign_id=campaign.id,
            storyteller_id=storyteller.id if storyteller else None,
            title=fields.pop("title", "A story"),
            body="What happened to us.",
            **fields,
        )
        db.session.add(story)
        db.session.commit()
        return story

    return add


@pytest.fixture
def add_meeting():
    def add(campaign, start, title="Tenant meeting", hours=2, **fields):
        meeting = Meeting(
            coalition_id=campaign.coalition_id,
            campaign_id=campaign.id,
            title=title,
            start_at=start,
            end_at=start + timedelta(hours=hours),
            **fields,
        )
        db.session.add(meeting)
        db.session.commit()
        return meeting

    return add


@pytest.fixture
def add_rsvp():
    def add(meeting, user=None, email=None, response=RsvpResponse.YES, **fields):
        rsvp = Rsvp(
            coalition_id=meeting.coalition_id,
            meeting_id=meeting.id,
            user_id=user.id if user else None,
            visitor_name="Visitor" if user is None else None,
            visitor_email=email,
            response=response,
            **fields,
        )
        db.session.add(rsvp)
        db.session.commit()
        return rsvp

    return add


@pytest.fixture
def add_walk_in():
    def add(meeting, name="Walk-in"):
        db.session.add(WalkIn(coalition_id=meeting.coalition_id, meeting_id=meeting.id, name=name))
        db.session.commit()

    return add


def numbered_visitor_rsvp(meeting, n: int, **fields) -> Rsvp:
    """Visitor n's answer (yes, maybe or no in turn; every other one attended), not yet added to the session."""
    return Rsvp(
        coalition_id=meeting.coalition_id,
        meeting_id=meeting.id,
        visitor_name=f"Visitor {n}",
        visitor_email=f"visitor{n}@example.org",
        response=(RsvpResponse.YES, RsvpResponse.MAYBE, RsvpResponse.NO)[n % 3],
        attended=n % 2 == 0,
        **fields,
    )


def statements_of(client, url, count_queries) -> tuple[int, str]:
    """The SQL statements of a second request of `url` (the first loads what later ones find cached), and the page."""
    client.get(url)
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count, response.get_data(as_text=True)
