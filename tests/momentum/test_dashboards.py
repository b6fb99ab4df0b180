"""Dashboards by role: each item links to where it is handled; an empty section says what would fill it."""

from datetime import timedelta

from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.meetings.models import ActionItem, Feedback, RsvpResponse
from coalition.stakeholders.followups import coalition_today
from coalition.stakeholders.models import Outreach, Stakeholder
from coalition.stories.models import StoryExcerpt, StoryShare, StoryStatus


def _dashboard(client, login, user, coalition) -> str:
    login(client, user)
    response = client.get(f"/c/{coalition.slug}/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_organizer_dashboard_lists_what_needs_them_today(world, add_story, add_meeting, add_rsvp, client, login):
    coalition, campaign, organizer = world["coalition"], world["campaign"], world["organizer"]
    story = add_story(
        campaign,
        world["member"],
        title="Mould in the nursery",
        status=StoryStatus.SUBMITTED,
        submitted_at=utcnow() - timedelta(hours=1),
    )
    meeting = add_meeting(campaign, utcnow() + timedelta(days=1), title="Tenant assembly")
    add_rsvp(meeting, world["member"], interpretation_language="Spanish", children=2)
    add_rsvp(meeting, None, email="v@example.org", interpretation_language="Spanish", children=1)
    stakeholder = Stakeholder(coalition_id=coalition.id, name="Property manager Lee")
    db.session.add(stakeholder)
    db.session.flush()
    follow_up = Outreach(
        coalition_id=coalition.id,
        stakeholder_id=stakeholder.id,
        campaign_id=campaign.id,
        follow_up_on=coalition_today(coalition) - timedelta(days=1),
        follow_up_owner_id=organizer.id,
    )
    db.session.add(follow_up)
    db.session.commit()

    page = _dashboard(client, login, organizer, coalition)

    assert f'/stories/{story.id}#review">Mould in the nursery</a>' in page
    assert f'/meetings/{meeting.id}#needs-title">Tenant assembly</a>' in page
    assert "2 need Spanish interpretation" in page and "3 children" in page
    link = f'/stakeholders/{stakeholder.id}?outreach={follow_up.id}#outreach-{follow_up.id}">Property manager Lee</a>'
    assert link in page
    assert "overdue" in page


def test_this_weeks_meetings_are_those_going_on_or_starting_within_seven_days(world, add_meeting, client, login):
    campaign, now = world["campaign"], utcnow()
    add_meeting(campaign, now - timedelta(days=2), title="Three-day training", hours=72)
    add_meeting(campaign, now + timedelta(days=6), title="Assembly in six days")
    add_meeting(campaign, now - timedelta(hours=3), title="Over this morning")
    add_meeting(campaign, now + timedelta(days=8), title="Assembly in eight days")

    page = _dashboard(client, login, world["organizer"], world["coalition"])

    assert page.index("Three-day training") < page.index("Assembly in six days")
    assert "Over this morning" not in page and "Assembly in eight days" not in page


def test_review_queue_lists_the_oldest_story_first(world, add_story, client, login):
    campaign = world["campaign"]
    add_story(campaign, None, title="Newer", status=StoryStatus.SUBMITTED, submitted_at=utcnow() - timedelta(hours=1))
    add_story(campaign, None, title="Older", status=StoryStatus.SUBMITTED, submitted_at=utcnow() - timedelta(days=3))

    page = _dashboard(client, login, world["organizer"], world["coalition"])

    assert page.index(">Older</a>") < page.index(">Newer</a>")


def test_member_dashboard_links_straight_to_the_excerpt_waiting_for_her(world, add_story, client, login):
    story = add_story(world["campaign"], world["member"], title="Our building")
    db.session.add(
        StoryExcerpt(
            coalition_id=story.coalition_id,
            story_id=story.id,
            body="A shorter version.",
            proposed_by_id=world["organizer"].id,
        )
    )
    db.session.commit()

    page = _dashboard(client, login, world["member"], world["coalition"])

    assert f'/stories/{story.id}#excerpt"' in page
    assert "An excerpt of “Our building” waits for your answer" in page
    excerpt_page = client.get(f"/c/{world['coalition'].slug}/stories/{story.id}").get_data(as_text=True)
    assert 'id="excerpt"' in excerpt_page and "Accept the excerpt" in excerpt_page


def test_member_dashboard_shows_where_her_stories_went(world, add_story, client, login):
    story = add_story(world["campaign"], world["member"], title="Our building")
    db.session.add(StoryShare(coalition_id=story.coalition_id, story_id=story.id, recipient_name="Council member Ruiz"))
    db.session.commit()

    page = _dashboard(client, login, world["member"], world["coalition"])

    assert "shared with Council member Ruiz" in page and f'/stories/{story.id}#where-it-went"' in page


def test_member_sees_no_team_or_lead_panels(world, client, login):
    page = _dashboard(client, login, world["member"], world["coalition"])

    for heading in (
        "Stories waiting for review",
        "This week&#39;s meetings",
        "Membership",
        "Outreach by week",
        "Open decisions: turnout",
        "My follow-ups",
    ):
        assert heading not in page
    assert "My meetings" in page and "Waiting for my answer" in page


def test_organizer_sees_team_panels_but_not_the_leads(world, client, login):
    page = _dashboard(client, login, world["organizer"], world["coalition"])

    assert "Stories waiting for review" in page and "This week&#39;s meetings" in page
    assert "Membership" not in page and "Outreach by week" not in page


def test_lead_dashboard_has_campaigns_at_a_glance_membership_outreach_and_turnout(world, client, login):
    page = _dashboard(client, login, world["lead"], world["coalition"])

    assert "Safe Homes Now" in page and "people reached" in page and "no activity yet" in page
    assert "Membership" in page and "active members" in page
    assert "Outreach by week" in page and "Open decisions: turnout" in page


def test_empty_sections_say_what_would_fill_them(world, client, login):
    page = _dashboard(client, login, world["organizer"], world["coalition"])

    assert "No story waits for review. Stories that members submit" in page
    assert "No meeting in the next seven days. Meetings you schedule appear here" in page
    assert "No action item is overdue." in page
    assert "No follow-up due in the next seven days." in page


def test_overdue_action_item_links_to_its_edit_page(world, add_meeting, client, login):
    meeting = add_meeting(world["campaign"], utcnow() - timedelta(days=5))
    item = ActionItem(
        coalition_id=world["coalition"].id,
        meeting_id=meeting.id,
        title="Call the inspector",
        due_on=utcnow().date() - timedelta(days=2),
    )
    db.session.add(item)
    db.session.commit()

    page = _dashboard(client, login, world["organizer"], world["coalition"])

    assert f'/meetings/actions/{item.id}/edit">Call the inspector</a>' in page


def test_recent_feedback_shows_answers_and_average_and_overdue_items_their_owner_and_meeting(
    world, add_meeting, client, login
):
    coalition, campaign = world["coalition"], world["campaign"]
    recent = add_meeting(campaign, utcnow() - timedelta(days=3), title="Tenant assembly")
    old = add_meeting(campaign, utcnow() - timedelta(days=30), title="Assembly last month")
    for meeting, rating in ((recent, 4), (recent, 5), (old, 1)):
        db.session.add(Feedback(coalition_id=coalition.id, meeting_id=meeting.id, rating=rating))
    item = ActionItem(
        coalition_id=coalition.id,
        meeting_id=recent.id,
        title="Call the inspector",
        owner_id=world["member"].id,
        due_on=utcnow().date() - timedelta(days=1),
    )
    db.session.add(item)
    db.session.commit()

    page = _dashboard(client, login, world["organizer"], coalition)

    assert f'/meetings/{recent.id}/feedback/results">Tenant assembly</a>' in page
    assert "2 answers, average 4.5 of 5" in page
    assert "Assembly last month" not in page
    assert f"· {world['member'].display_name} · Tenant assembly" in page


def test_my_meetings_show_my_answer_and_my_action_items_their_meeting(world, add_meeting, add_rsvp, client, login):
    campaign, member = world["campaign"], world["member"]
    going = add_meeting(campaign, utcnow() + timedelta(days=2), title="Tenant assembly")
    maybe = add_meeting(campaign, utcnow() + timedelta(days=3), title="Rent strike vote")
    full = add_meeting(campaign, utcnow() + timedelta(days=4), title="Bus to the hearing")
    declined = add_meeting(campaign, utcnow() + timedelta(days=1), title="Board meeting")
    add_rsvp(going, member)
    add_rsvp(maybe, member, response=RsvpResponse.MAYBE)
    add_rsvp(full, member, waitlisted=True)
    add_rsvp(declined, member, response=RsvpResponse.NO)
    db.session.add(
        ActionItem(
            coalition_id=campaign.coalition_id,
            meeting_id=going.id,
            title="Bring the sign-in sheets",
            owner_id=member.id,
        )
    )
    db.session.commit()

    page = _dashboard(client, login, member, world["coalition"])

    panel = page[page.index("My meetings") :]
    assert f'/meetings/{going.id}">Tenant assembly</a>' in panel
    assert panel.index("Tenant assembly") < panel.index("Rent strike vote") < panel.index("Bus to the hearing")
    assert "Going" in panel and "Maybe" in panel and "On the waitlist" in panel
    assert "Board meeting" not in panel
    assert "Bring the sign-in sheets" in panel and "— Tenant assembly" in panel


def test_lead_sees_who_asks_to_join(world, make_user, client, login):
    from coalition.coalitions.models import Membership, MembershipStatus

    coalition = world["coalition"]
    for name in ("Ana Asking", "Bo Asking"):
        user = make_user(name=name)
        db.session.add(Membership(user_id=user.id, coalition_id=coalition.id, status=MembershipStatus.PENDING))
    db.session.commit()

    page = _dashboard(client, login, world["lead"], coalition)

    assert "2 people ask to join:" in page
    assert "Ana Asking</a>" in page and "Bo Asking</a>" in page


def _membership_panel(page: str) -> str:
    return page[page.index("<h2>Membership</h2>") :]


def test_lead_membership_panel_counts_growth_and_lists_the_oldest_five_requests(world, make_user, client, login):
    from sqlalchemy import func, select

    from coalition.coalitions.models import Membership, MembershipStatus

    coalition, now = world["coalition"], utcnow()
    active = db.session.scalar(
        select(func.count()).where(
            Membership.coalition_id == coalition.id, Membership.status == MembershipStatus.ACTIVE
        )
    )
    for days in (3, 10, 45, 200):  # two joined in the last 30 days, one in the 30 before
        user = make_user(name=f"Joined {days}")
        db.session.add(Membership(user_id=user.id, coalition_id=coalition.id, created_at=now - timedelta(days=days)))
    for n in range(7):  # the oldest asks first
        user = make_user(name=f"Asker {n}")
        db.session.add(
            Membership(
                user_id=user.id,
                coalition_id=coalition.id,
                status=MembershipStatus.PENDING,
                created_at=now - timedelta(days=20 - n),
            )
        )
    db.session.commit()
    recent_before = db.session.scalar(
        select(func.count()).where(
            Membership.coalition_id == coalition.id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.created_at >= now - timedelta(days=30),
        )
    )

    panel = _membership_panel(_dashboard(client, login, world["lead"], coalition))

    assert f"<strong>{active + 4}</strong> active members" in panel
    assert f"<strong>{recent_before}</strong> joined in the last 30 days" in panel
    assert "<strong>1</strong> in the 30 days before" in panel
    assert "7 people ask to join:" in panel
    names = [f"Asker {n}</a>" for n in range(5)]
    assert all(name in panel for name in names) and "Asker 5" not in panel and "Asker 6" not in panel
    assert [panel.index(name) for name in names] == sorted(panel.index(name) for name in names)


def test_lead_membership_panel_without_requests_still_counts_members(world, client, login):
    panel = _membership_panel(_dashboard(client, login, world["lead"], world["coalition"]))

    assert "active members" in panel and "<strong>0</strong> active members" not in panel
    assert "No one is waiting to join." in panel
