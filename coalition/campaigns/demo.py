"""Demo campaigns for the Riverside Tenants Coalition."""

from datetime import date, timedelta

from coalition.campaigns import questions, services
from coalition.campaigns.models import CampaignStatus, CampaignUpdate, QuestionKind
from coalition.core.models import utcnow
from coalition.extensions import db

SAFE_HOMES_QUESTIONS = [
    (QuestionKind.NUMBER, "How many months have you waited for a repair?", [], True),
    (QuestionKind.YES_NO, "Have you been threatened with eviction after complaining?", [], False),
    (QuestionKind.CHOICE, "Which problem is worst?", ["Mould", "Heating", "Pests", "Leaks"], True),
    (QuestionKind.SHORT_TEXT, "What would you tell the city council?", [], False),
]


def seed_campaigns(coalition, people) -> None:
    """'Safe Homes Now' (active, public, four questions, two updates, followers) and one campaign in planning."""
    organizer, lead = people["organizer"], people["lead"]
    today = date.today()
    safe_homes = services.save_campaign(
        coalition,
        organizer,
        title="Safe Homes Now",
        slug="safe-homes-now",
        summary="Thousands of Riverside tenants live with mould, broken heating and leaks that landlords ignore. "
        "We are gathering their stories to win a proactive rental inspection program.",
        goal="Every rental home in Riverside inspected at least once every three years.",
        decision_sought="Pass a proactive rental inspection ordinance with funding for 12 inspectors.",
        decision_maker="Riverside City Council",
        status=CampaignStatus.ACTIVE,
        starts_on=today - timedelta(days=45),
        ends_on=today + timedelta(days=120),
        issue_tags="housing, repairs, health",
        public_page=True,
        story_prompt="Tell us about repairs in your home: what broke, whom you told, and what happened next.",
        story_goal=50,
    )
    for kind, prompt, choices, required in SAFE_HOMES_QUESTIONS:
        questions.save_question(safe_homes, organizer, kind=kind, prompt=prompt, choices=choices, required=required)
    for user in (people["member"], people["extra0"], people["extra1"]):
        services.follow_campaign(safe_homes, user)
    _update(safe_homes, lead, 30, "We launched **Safe Homes Now** at St. Brigid Parish: 60 neighbours came.")
    _update(
        safe_homes,
        organizer,
        6,
        "Council member Reyes agreed to meet us next month. Keep the stories coming — we are halfway to our goal.",
    )
    services.save_campaign(
        coalition,
        lead,
        title="Fair Rent Riverside",
        summary="Rents rose 18% in two years. We are mapping who can still afford to stay.",
        goal="A cap on yearly rent increases for existing tenants.",
        decision_sought="Put rent stabilisation on the next ballot.",
        decision_maker="Riverside City Council",
        status=CampaignStatus.PLANNING,
        starts_on=today + timedelta(days=30),
        issue_tags="housing, rent",
        story_prompt="How has your rent changed, and what did you have to give up to pay it?",
    )


def _update(campaign, author, days_ago: int, body: str) -> None:
    """A timeline entry dated in the past (seeding does not mail followers)."""
    db.session.add(
        CampaignUpdate(
            campaign=campaign,
            coalition_id=campaign.coalition_id,
            author_id=author.id,
            body=body,
            created_at=utcnow() - timedelta(days=days_ago),
        )
    )
