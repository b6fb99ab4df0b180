"""The numbers kept in the same transaction as the change (people reached, stories per status, people checked in,
targets per stance, outreach per month) always equal a recount from scratch, whatever the change."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from coalition.accounts.services import delete_account
from coalition.campaigns.momentum import people_reached
from coalition.campaigns.services import save_campaign
from coalition.campaigns.tallies import CampaignReach, CampaignTally
from coalition.core.kept import rebuild_kept
from coalition.core.models import utcnow
from coalition.decisions import answers as decision_answers
from coalition.decisions import services as decisions
from coalition.extensions import db
from coalition.meetings import after, rsvps
from coalition.meetings.models import Meeting, MeetingVisibility
from coalition.meetings.services import cancel_meeting
from coalition.stakeholders import outreach
from coalition.stakeholders import services as stakeholders
from coalition.stakeholders.models import Stakeholder
from coalition.stories import services as stories
from coalition.stories.consent import change_consent
from coalition.stories.counts import StoryCampaignCount, StoryCount, StoryStatusCount, StoryTagCount, status_counts
from coalition.stories.display import LinkHolder


def _kept(coalition) -> dict:
    """Every kept number of the coalition (rows at zero left out)."""
    tables = {
        "reach": select(CampaignReach.campaign_id, CampaignReach.person, CampaignReach.refs).where(
            CampaignReach.coalition_id == coalition.id
        ),
        "tallies": select(CampaignTally.campaign_id, CampaignTally.kind, CampaignTally.key, CampaignTally.count).where(
            CampaignTally.coalition_id == coalition.id, CampaignTally.count != 0
        ),
        "story counts": select(StoryCount.campaign_id, StoryCount.kind, StoryCount.key, StoryCount.count).where(
            StoryCount.coalition_id == coalition.id, StoryCount.count != 0
        ),
        "statuses": select(StoryStatusCount.status, StoryStatusCount.visibility, StoryStatusCount.count).where(
            StoryStatusCount.coalition_id == coalition.id, StoryStatusCount.count != 0
        ),
        "tags": select(StoryTagCount.tag, StoryTagCount.status, StoryTagCount.visibility, StoryTagCount.count).where(
            StoryTagCount.coalition_id == coalition.id, StoryTagCount.count != 0
        ),
        "campaigns": select(
            StoryCampaignCount.campaign_id,
            StoryCampaignCount.status,
            StoryCampaignCount.visibility,
            StoryCampaignCount.count,
        ).where(StoryCampaignCount.coalition_id == coalition.id, StoryCampaignCount.count != 0),
        "checked in": select(Meeting.id, Meeting.checked_in).where(Meeting.coalition_id == coalition.id),
    }
    return {name: sorted(tuple(row) for row in db.session.execute(query)) for name, query in tables.items()}


def _recounted(coalition) -> dict:
    rebuild_kept(coalition.id)
    db.session.flush()
    counted = _kept(coalition)
    db.session.rollback()
    return counted


def _check_after_each(coalition, changes) -> None:
    assert _kept(coalition) == _recounted(coalition)
    for name, change in changes:
        change()
        db.session.commit()
        assert _kept(coalition) == _recounted(coalition), name


@pytest.fixture
def two_campaigns(world):
    second = save_campaign(world["coalition"], None, title="Fair Rents", status="active")
    db.session.commit()
    return world["campaign"], second


def _meeting(campaign, days_from_now, title="Tenant meeting", **fields):
    start = utcnow() + timedelta(days=days_from_now)
    meeting = Meeting(
        coalition_id=campaign.coalition_id,
        campaign_id=campaign.id,
        title=title,
        start_at=start,
        end_at=start + timedelta(hours=2),
        **fields,
    )
    db.session.add(meeting)
    db.session.commit()
    return meeting


def test_stories_keep_people_reached_and_statuses_through_their_whole_life(world, two_campaigns):
    first, second = two_campaigns
    coalition, member, organizer = world["coalition"], world["member"], world["organizer"]
    story = stories.create_story(
        coalition, member, {"title": "Mould", "body": "Our walls.", "tags": "mould, repairs"}, campaign_id=first.id
    )
    db.session.commit()
    made = {}

    def intake(email):
        fields = {"title": "Heat", "body": "No heat.", "tags": "heat, mould"}
        made[email] = stories.intake_story(coalition, first, fields, email=email)[0]

    _check_after_each(
        coalition,
        [
            ("submitted", lambda: stories.submit_story(story, member)),
            ("approved", lambda: stories.review_story(story, organizer, approve=True)),
            ("shown to members", lambda: change_consent(story, member, visibility="members")),
            ("tags changed", lambda: stories.update_story(story, member, {"tags": "repairs, rent"})),
            ("visitor story", lambda: intake("Ana@Example.org")),
            ("same visitor again", lambda: intake("ana@example.org")),
            ("moved campaign", lambda: setattr(story, "campaign_id", second.id)),
            ("withdrawn", lambda: stories.withdraw_story(story, member)),
            (
                "visitor deletes",
                lambda: stories.delete_story(made["ana@example.org"], LinkHolder(made["ana@example.org"])),
            ),
            ("hard deleted", lambda: db.session.delete(made["Ana@Example.org"])),
        ],
    )
    assert people_reached([first.id, second.id]) == {first.id: 0, second.id: 0}


def test_rsvps_walk_ins_and_cancelling_keep_people_reached_and_check_ins(world, two_campaigns, add_story, add_rsvp):
    first, second = two_campaigns
    coalition, member, organizer = world["coalition"], world["member"], world["organizer"]
    add_story(first, None, intake_name="Ana", intake_email="ana@example.org")
    held, upcoming = _meeting(first, -3, "Held"), _meeting(first, 5, "Upcoming", visibility=MeetingVisibility.PUBLIC)
    earlier = _meeting(first, -10, "Earlier")
    add_rsvp(earlier, member, attended=True)
    after.add_walk_in(earlier, "Someone else")
    visitor = {}

    def visit():
        visitor["rsvp"] = rsvps.rsvp_visitor(upcoming, "Ana", " ANA@example.org", "yes")

    _check_after_each(
        coalition,
        [
            ("rsvp yes", lambda: rsvps.rsvp_member(upcoming, member, "yes")),
            ("came to the meeting held", lambda: add_rsvp(held, member, attended=True)),
            ("rsvp maybe", lambda: rsvps.rsvp_member(upcoming, organizer, "maybe")),
            ("rsvp no", lambda: rsvps.rsvp_member(upcoming, organizer, "no")),
            ("checked in", lambda: after.set_attended(add_rsvp(held, organizer, response="no"), True)),
            ("walk-in", lambda: after.add_walk_in(held, "Someone")),
            ("visitor rsvp", visit),
            ("visitor says no", lambda: rsvps.change_visitor_rsvp(upcoming, visitor["rsvp"], "no")),
            ("rsvp deleted", lambda: rsvps.delete_rsvp(visitor["rsvp"])),
            ("meeting moved to another campaign", lambda: setattr(earlier, "campaign_id", second.id)),
            ("meeting deleted", lambda: db.session.delete(earlier)),
            ("cancelled", lambda: cancel_meeting(held, organizer)),
        ],
    )
    # Ana (her story and her RSVP, one person) and the member (yes to the upcoming meeting); the organizer only came
    # to the meeting that was then cancelled.
    assert people_reached([first.id]) == {first.id: 2}


def test_decision_answers_keep_people_reached(world, two_campaigns):
    first, second = two_campaigns
    coalition, member, organizer = world["coalition"], world["member"], world["organizer"]
    now = utcnow()

    def decision(privacy):
        made = decisions.create_decision(
            coalition, organizer, kind="proposal", privacy=privacy, options=[], title="Strike?",
            opens_at=now - timedelta(minutes=5), closes_at=now + timedelta(days=3), campaign_id=first.id,
        )  # fmt: skip
        decisions.open_decision(made, organizer)
        return made

    named, anonymous = decision("organizers"), decision("anonymous")
    db.session.commit()
    _check_after_each(
        coalition,
        [
            ("named answer", lambda: decision_answers.answer(named, member, {"position": "agree"})),
            ("anonymous answer", lambda: decision_answers.answer(anonymous, organizer, {"position": "abstain"})),
            ("changed answer", lambda: decision_answers.answer(named, member, {"position": "abstain"})),
            ("decision moved", lambda: setattr(named, "campaign_id", second.id)),
        ],
    )
    assert people_reached([first.id, second.id]) == {first.id: 1, second.id: 1}


def test_targets_stances_and_outreach_keep_their_tallies(world, two_campaigns):
    first, second = two_campaigns
    coalition, organizer = world["coalition"], world["organizer"]
    council, landlord = (Stakeholder(coalition_id=coalition.id, name=name) for name in ("Council", "Landlord"))
    db.session.add_all([council, landlord])
    db.session.commit()
    made = {}

    def target(stakeholder, campaign, stance):
        made[stakeholder.name, campaign.id] = stakeholders.add_target(
            stakeholder, organizer, campaign_id=campaign.id, stance=stance, influence=3, priority="medium"
        )

    def log(stakeholder, when, campaign=first):
        made[stakeholder.name, when] = outreach.log_outreach(
            stakeholder, organizer, campaign_id=campaign.id, occurred_at=when, channel="call", summary="",
            outcome="", response="none", follow_up_on=None, follow_up_owner=None, participant_ids=[],
        )  # fmt: skip

    october, november = datetime(2026, 10, 31, 23, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC)
    _check_after_each(
        coalition,
        [
            ("target added", lambda: target(council, first, "neutral")),
            ("second target", lambda: target(landlord, first, "opposed")),
            ("same stakeholder, other campaign", lambda: target(council, second, "supportive")),
            ("stance changed", lambda: stakeholders.change_stance(made["Council", first.id], "supportive", organizer)),
            ("target removed", lambda: stakeholders.remove_target(made["Landlord", first.id], organizer)),
            ("outreach logged", lambda: log(council, october)),
            ("outreach next month", lambda: log(landlord, november)),
            ("outreach moved in time", lambda: setattr(made["Council", october], "occurred_at", november)),
            ("outreach deleted", lambda: outreach.delete_outreach(made["Landlord", november], organizer)),
            ("stakeholder deleted", lambda: stakeholders.delete_stakeholder(council, organizer)),
        ],
    )


@pytest.mark.parametrize("keep_stories", [True, False])
def test_account_deletion_keeps_every_number_right(world, keep_stories, add_rsvp):
    coalition, member, organizer, campaign = world["coalition"], world["member"], world["organizer"], world["campaign"]
    story = stories.create_story(coalition, member, {"title": "T", "body": "B"}, campaign_id=campaign.id, submit=True)
    stories.review_story(story, organizer, approve=True)
    held = _meeting(campaign, -2)
    add_rsvp(held, member, attended=True)
    db.session.commit()
    assert people_reached([campaign.id]) == {campaign.id: 1}

    _check_after_each(
        coalition, [("account deleted", lambda: delete_account(member, keep_stories_anonymised=keep_stories))]
    )

    assert people_reached([campaign.id]) == {campaign.id: 0}
    assert status_counts(coalition.id) == ({"approved": 1} if keep_stories else {})
