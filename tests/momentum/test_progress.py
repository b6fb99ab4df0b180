"""Campaign progress computed from the data: meetings, attendance, people reached (each once), stances, outreach."""

import re
from datetime import timedelta

from coalition.campaigns.momentum import people_reached, progress_for
from coalition.core.models import utcnow
from coalition.decisions.models import CollectiveDecision, DecisionAnswer, DecisionStatus
from coalition.extensions import db
from coalition.meetings.models import MeetingStatus
from coalition.stakeholders.models import CampaignTarget, Stakeholder, Stance, StanceChange
from coalition.stories.models import StoryStatus


def _cell(html: str, heading: str) -> str:
    return re.search(rf'<th scope="row">{re.escape(heading)}</th><td class="num">([^<]+)</td>', html).group(1).strip()


def _decision(campaign, *users):
    decision = CollectiveDecision(
        coalition_id=campaign.coalition_id,
        campaign_id=campaign.id,
        title="Rent strike?",
        closes_at=utcnow() - timedelta(days=1),
        closed_at=utcnow() - timedelta(days=1),
        status=DecisionStatus.CLOSED,
    )
    db.session.add(decision)
    db.session.flush()
    for user in users:
        db.session.add(DecisionAnswer(coalition_id=campaign.coalition_id, decision_id=decision.id, user_id=user.id))
    db.session.commit()
    return decision


def test_person_who_told_a_story_and_came_to_two_meetings_counts_once(world, add_story, add_meeting, add_rsvp):
    campaign, member = world["campaign"], world["member"]
    add_story(campaign, member)
    for days in (10, 3):
        add_rsvp(add_meeting(campaign, utcnow() - timedelta(days=days)), member, attended=True)

    assert people_reached([campaign.id]) == {campaign.id: 1}


def test_visitor_is_counted_once_by_email_whatever_its_case(world, add_story, add_meeting, add_rsvp):
    campaign = world["campaign"]
    add_story(campaign, None, intake_name="Ana", intake_email="Ana@Example.org")
    add_rsvp(add_meeting(campaign, utcnow() - timedelta(days=2)), None, email="ana@example.org ")

    assert people_reached([campaign.id]) == {campaign.id: 1}


def test_people_reached_unions_stories_meetings_and_decision_answers(world, add_story, add_meeting, add_rsvp):
    campaign, member, organizer, lead = world["campaign"], world["member"], world["organizer"], world["lead"]
    add_story(campaign, member)
    add_story(campaign, lead, status=StoryStatus.DRAFT)  # a draft was never told
    add_rsvp(add_meeting(campaign, utcnow() + timedelta(days=2)), organizer)
    _decision(campaign, member, organizer, lead)

    assert people_reached([campaign.id]) == {campaign.id: 3}


def test_meetings_held_upcoming_and_attendance_with_walk_ins(world, add_meeting, add_rsvp, add_walk_in, app):
    campaign, member = world["campaign"], world["member"]
    held = add_meeting(campaign, utcnow() - timedelta(days=3))
    add_rsvp(held, member, attended=True)
    add_rsvp(held, None, email="v@example.org", attended=False)
    add_walk_in(held)
    add_meeting(campaign, utcnow() + timedelta(days=3))
    add_meeting(campaign, utcnow() - timedelta(days=5), status=MeetingStatus.CANCELLED)

    with app.test_request_context():
        progress = progress_for([campaign], world["organizer"])[campaign.id]

    assert (progress.meetings.held, progress.meetings.upcoming, progress.attended.value) == (1, 1, 2)


def test_targets_by_stance_with_movement_since_a_date(world, app):
    campaign, coalition = world["campaign"], world["coalition"]
    month_ago = utcnow() - timedelta(days=30)
    for name, old, new in (("Council member", Stance.NEUTRAL, Stance.SUPPORTIVE), ("Landlord", Stance.OPPOSED, None)):
        stakeholder = Stakeholder(coalition_id=coalition.id, name=name)
        db.session.add(stakeholder)
        db.session.flush()
        target = CampaignTarget(
            coalition_id=coalition.id, campaign_id=campaign.id, stakeholder_id=stakeholder.id, stance=new or old
        )
        target.created_at = month_ago - timedelta(days=10)
        db.session.add(target)
        db.session.flush()
        db.session.add(
            StanceChange(coalition_id=coalition.id, target_id=target.id, new_stance=old, created_at=month_ago)
        )
        if new:
            db.session.add(StanceChange(coalition_id=coalition.id, target_id=target.id, old_stance=old, new_stance=new))
    db.session.commit()

    with app.test_request_context():
        stances = progress_for([campaign], world["lead"], since=utcnow() - timedelta(days=7))[campaign.id].stances

    counts = {s.key: (s.now, s.then) for s in stances.stances}
    assert counts["supportive"] == (1, 0) and counts["neutral"] == (0, 1) and counts["opposed"] == (1, 1)
    assert (stances.toward, stances.away) == (1, 0)


def test_lead_sees_exact_numbers_and_is_told_they_stay_in_the_team(
    world, add_story, add_meeting, add_rsvp, client, login
):
    campaign, member = world["campaign"], world["member"]
    add_story(campaign, member)
    add_rsvp(add_meeting(campaign, utcnow() - timedelta(days=3)), member, attended=True)
    login(client, world["lead"])

    page = client.get(f"/c/{world['coalition'].slug}/campaigns/{campaign.id}").get_data(as_text=True)

    assert _cell(page, "People reached") == "1"
    assert _cell(page, "Meetings held") == "1"
    assert "for the organizing team only" in page


def test_member_and_public_see_small_counts_as_fewer_than_5(world, add_story, client, login):
    campaign, coalition = world["campaign"], world["coalition"]
    for _i in range(3):
        add_story(campaign, world["member"])
    login(client, world["member"])

    member_page = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}").get_data(as_text=True)
    client.get("/account/logout")
    public_page = client.get(f"/c/{coalition.slug}/campaigns/public/{campaign.slug}").get_data(as_text=True)

    for page in (member_page, public_page):
        assert _cell(page, "People reached") == "fewer than 5"
        assert _cell(page, "Stories collected").startswith("fewer than 5")
        assert "fewer than 5 of 10 stories collected" in page
        assert "for the organizing team only" not in page
        assert "Targets by stance" not in page


def test_members_progress_shows_counts_at_the_threshold(world, add_story, client, login):
    campaign = world["campaign"]
    for _i in range(5):
        add_story(campaign, None, intake_email=f"p{_i}@example.org")
    login(client, world["member"])

    page = client.get(f"/c/{world['coalition'].slug}/campaigns/{campaign.id}").get_data(as_text=True)

    assert _cell(page, "People reached") == "5"
    assert "5 of 10 stories collected (50%)" in page
