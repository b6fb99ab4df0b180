"""The campaign timeline: updates, meetings held, stance changes, packets and decisions closed, newest first,
each filtered by what the viewer may see, paginated."""

from datetime import timedelta

import pytest
from flask import g

from coalition.campaigns.models import CampaignUpdate
from coalition.campaigns.momentum import timeline
from coalition.core.models import utcnow
from coalition.decisions.models import CollectiveDecision, DecisionStatus
from coalition.extensions import db
from coalition.meetings.models import MeetingVisibility
from coalition.stakeholders.models import CampaignTarget, Packet, Stakeholder, Stance, StanceChange


@pytest.fixture
def history(world, add_meeting):
    """One entry of each kind, a day apart: update (1 day ago), meeting (2), stance (3), packet (4), decision (5)."""
    campaign, coalition, now = world["campaign"], world["coalition"], utcnow()
    day = timedelta(days=1)
    db.session.add(
        CampaignUpdate(
            campaign_id=campaign.id,
            coalition_id=coalition.id,
            body="We met the council.",
            author_id=world["organizer"].id,
            created_at=now - day,
        )
    )
    add_meeting(campaign, now - 2 * day - timedelta(hours=2), title="House meeting on Elm")
    add_meeting(campaign, now - 6 * day, title="Secret strategy", visibility=MeetingVisibility.INVITE_ONLY)
    stakeholder = Stakeholder(coalition_id=coalition.id, name="Council member Ruiz")
    db.session.add(stakeholder)
    db.session.flush()
    target = CampaignTarget(
        coalition_id=coalition.id, campaign_id=campaign.id, stakeholder_id=stakeholder.id, stance=Stance.SUPPORTIVE
    )
    db.session.add(target)
    db.session.flush()
    db.session.add(
        StanceChange(
            coalition_id=coalition.id,
            target_id=target.id,
            old_stance=Stance.NEUTRAL,
            new_stance=Stance.SUPPORTIVE,
            created_at=now - 3 * day,
        )
    )
    db.session.add(
        Packet(
            coalition_id=coalition.id,
            campaign_id=campaign.id,
            stakeholder_id=stakeholder.id,
            title="Packet",
            delivered_at=now - 4 * day,
        )
    )
    db.session.add(
        CollectiveDecision(
            coalition_id=coalition.id,
            campaign_id=campaign.id,
            title="Rent strike?",
            closes_at=now - 5 * day,
            closed_at=now - 5 * day,
            status=DecisionStatus.CLOSED,
        )
    )
    db.session.commit()
    return world


def _kinds(app, campaign, viewer, **kwargs):
    with app.test_request_context():
        g.coalition = campaign.coalition  # as a coalition page sets it, for the entries' links
        return [(e.kind, e.title) for e in timeline(campaign, viewer, **kwargs).entries]


def test_organizer_sees_every_kind_newest_first(app, history):
    kinds = _kinds(app, history["campaign"], history["organizer"])

    assert [k for k, _t in kinds] == ["update", "meeting", "stance", "packet", "decision", "meeting"]
    assert ("stance", "Council member Ruiz: Neutral → Supportive") in kinds
    assert ("packet", "Testimony packet delivered to Council member Ruiz") in kinds


def test_member_sees_no_stakeholder_names_and_no_invite_only_meeting(app, history):
    kinds = _kinds(app, history["campaign"], history["member"])

    assert [k for k, _t in kinds] == ["update", "meeting", "packet", "decision"]
    assert ("packet", "Testimony packet delivered") in kinds
    assert all("Ruiz" not in title and "Secret" not in title for _k, title in kinds)


def test_timeline_pages_continue_in_date_order(app, history):
    first = _kinds(app, history["campaign"], history["organizer"], per_page=4)
    second = _kinds(app, history["campaign"], history["organizer"], page=2, per_page=4)

    assert [k for k, _t in first] == ["update", "meeting", "stance", "packet"]
    assert [k for k, _t in second] == ["decision", "meeting"]


@pytest.mark.parametrize("role", ["organizer", "member"])
def test_every_kind_is_read_in_one_statement(app, history, count_queries, role):
    campaign, viewer = history["campaign"], history[role]
    with app.test_request_context():
        g.coalition = campaign.coalition
        timeline(campaign, viewer)  # the campaign, the viewer and their memberships, as a page has them loaded
        with count_queries() as counter:
            entries = timeline(campaign, viewer).entries

    assert counter.count == 1
    assert entries[0].update.body == "We met the council." and entries[0].update.author_name


def test_campaign_page_shows_the_timeline_with_links(history, client, login):
    login(client, history["organizer"])
    campaign = history["campaign"]

    page = client.get(f"/c/{history['coalition'].slug}/campaigns/{campaign.id}").get_data(as_text=True)

    assert "We met the council." in page
    assert "House meeting on Elm" in page and "Rent strike?" in page
    assert page.index("We met the council.") < page.index("House meeting on Elm") < page.index("Rent strike?")


def test_empty_timeline_says_what_would_fill_it(world, client, login):
    login(client, world["member"])

    page = client.get(f"/c/{world['coalition'].slug}/campaigns/{world['campaign'].id}").get_data(as_text=True)

    assert "Nothing on the timeline yet. Updates, meetings held" in page
