"""In the demo, the lead's campaign page shows meetings held, people reached and targets by stance that match a
count made directly from the database."""

import re

from sqlalchemy import func, select

from coalition.accounts.models import User
from coalition.campaigns.models import Campaign, CampaignStatus
from coalition.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from coalition.core.models import utcnow
from coalition.decisions.models import CollectiveDecision, DecisionAnswer, DecisionParticipation
from coalition.meetings.models import Meeting, MeetingStatus, Rsvp, RsvpResponse
from coalition.stakeholders.models import CampaignTarget
from coalition.stories.models import Story, StoryStatus


def _cell(html: str, heading: str) -> str:
    return re.search(rf'<th scope="row">{re.escape(heading)}</th><td class="num">([^<]+)</td>', html).group(1).strip()


def _people(db, campaign_id) -> set:
    """Everyone reached, counted here in Python from plain rows (not through the providers)."""
    people = set()
    for user_id, email in db.session.execute(
        select(Story.storyteller_id, Story.intake_email).where(
            Story.campaign_id == campaign_id,
            Story.status != StoryStatus.DRAFT,
            Story.withdrawn_at.is_(None),
            Story.deleted_at.is_(None),
        )
    ):
        people.add(("user", user_id) if user_id else ("email", (email or "").strip().lower()))
    for user_id, email, response, attended in db.session.execute(
        select(Rsvp.user_id, Rsvp.visitor_email, Rsvp.response, Rsvp.attended)
        .join(Meeting, Meeting.id == Rsvp.meeting_id)
        .where(Meeting.campaign_id == campaign_id, Meeting.status != MeetingStatus.CANCELLED)
    ):
        if response in (RsvpResponse.YES, RsvpResponse.MAYBE) or attended:
            people.add(("user", user_id) if user_id else ("email", (email or "").strip().lower()))
    for model in (DecisionAnswer, DecisionParticipation):
        for user_id in db.session.scalars(
            select(model.user_id)
            .join(CollectiveDecision, CollectiveDecision.id == model.decision_id)
            .where(CollectiveDecision.campaign_id == campaign_id)
        ):
            people.add(("user", user_id))
    people.discard(("email", ""))
    return people


def test_demo_lead_campaign_page_matches_the_database(app, db, client, login):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    lead = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS["lead"][0]))
    login(client, lead, password=DEMO_PASSWORD)
    campaigns = db.session.scalars(select(Campaign).where(Campaign.status != CampaignStatus.ARCHIVED)).all()
    assert campaigns
    checked = 0
    for campaign in campaigns:
        page = client.get(f"/c/{campaign.coalition.slug}/campaigns/{campaign.id}").get_data(as_text=True)
        held = db.session.scalar(
            select(func.count(Meeting.id)).where(
                Meeting.campaign_id == campaign.id,
                Meeting.status != MeetingStatus.CANCELLED,
                Meeting.end_at <= utcnow(),
            )
        )
        assert _cell(page, "Meetings held") == str(held)
        assert _cell(page, "People reached") == str(len(_people(db, campaign.id)))
        stances = dict(
            db.session.execute(
                select(CampaignTarget.stance, func.count())
                .where(CampaignTarget.campaign_id == campaign.id)
                .group_by(CampaignTarget.stance)
            ).all()
        )
        if stances:
            table = page.split("<caption>Targets by stance</caption>")[1].split("</table>")[0]
            shown = {
                label: int(now)
                for label, now in re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>', table)
            }
            assert {k: v for k, v in shown.items() if v} == {str(s).capitalize(): n for s, n in stances.items()}
            checked += 1
    assert checked  # the demo has targets somewhere
