"""Demo stories for the "Safe Homes Now" campaign: varied consent, statuses and answers, an excerpt, a withdrawal."""

from datetime import timedelta

from sqlalchemy import select

from coalition.campaigns.models import Campaign, QuestionKind
from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.stories import services, shares
from coalition.stories.models import StoryStatus

# (storyteller key, title, body, tags, location, visibility, attribution, decision-makers, press, status, answers)
DEMO_STORIES = [
    ("member", "Mould in my daughter's room",
     "Black mould came back three times. Each time the manager painted over it.\n\n"
     "My daughter's asthma got worse every winter. We finally moved her bed into the living room.",
     "mould, children, health", "Riverside North", "public", "first_initial", True, True, "approved",
     ("8", "yes", "Mould")),
    ("extra0", "No heat in January", "For eleven days we had no heat. The office said the part was *on order*.\n\n"
     "- We used the oven to warm the kitchen\n- My neighbour lent us a space heater",
     "heating, winter", "60608", "members", "full", True, False, "approved", ("2", "no", "Heating")),
    ("extra1", "Leak over the stairwell",
     "Water has dripped down the stairwell for a year. Someone slipped last month.",
     "leaks, safety", "Riverside North", "public", "anonymous", True, True, "approved", ("12", "no", "Leaks")),
    ("extra2", "They raised the rent after I complained", "Two weeks after I called the city inspector, "
     "I received a notice that my rent would go up by 18%. I am afraid to complain again.",
     "retaliation, rent", None, "team", "anonymous", True, False, "approved", ("6", "yes", "Mould")),
    ("extra3", "Mice in the kitchen", "We set traps every night. The exterminator came once and never returned.",
     "pests", "Eastside", "members", "first_initial", False, False, "approved", ("4", "no", "Pests")),
    ("member", "What I would tell the council", "Inspections should not be announced to landlords in advance.",
     "inspections", None, "public", "full", True, True, "submitted", ("1", "no", "Leaks")),
    ("extra0", "Repairs only when the inspector comes", "Everything gets fixed the day before an inspection, "
     "then breaks again.", "inspections", "60608", "team", "anonymous", False, False, "submitted",
     ("3", "no", "Heating")),
    ("extra1", "Broken lock on the front door", "Anyone can walk into our building. I asked for a new lock "
     "in March.", "safety", "Riverside North", "members", "anonymous", False, False, "returned",
     ("5", "no", "Leaks")),
    ("extra2", "Draft: the elevator", "The elevator has been out for weeks; my mother cannot leave the flat.",
     "accessibility", None, "team", "anonymous", False, False, "draft", ("", "", "")),
    ("extra3", "Ceiling collapsed in the bathroom", "Part of the bathroom ceiling fell while my son was "
     "brushing his teeth. Nobody was hurt, by luck.", "leaks, children", "Eastside", "public", "first_initial",
     True, True, "approved", ("9", "yes", "Leaks")),
    ("member", "Heat came back after our petition", "After twenty of us signed, heat was restored in two days. "
     "Together we are heard.", "heating, organizing", "Riverside North", "members", "full", True, True,
     "approved", ("1", "no", "Heating")),
    ("extra0", "Withdrawn: my old apartment", "I moved out and prefer not to share this any more.",
     "rent", None, "members", "anonymous", False, False, "approved", ("3", "no", "Mould")),
]  # fmt: skip


def _answers(campaign, values):
    if campaign is None:
        return {}
    by_kind = {q.kind: q.id for q in campaign.questions}
    kinds = (QuestionKind.NUMBER, QuestionKind.YES_NO, QuestionKind.CHOICE)
    return {by_kind[k]: v for k, v in zip(kinds, values, strict=True) if k in by_kind and v}


def seed_stories(coalition, people):
    """A dozen stories on "Safe Homes Now", one with an excerpt waiting, one shared with the council, one withdrawn."""
    campaign = db.session.scalar(
        select(Campaign).where(Campaign.coalition_id == coalition.id, Campaign.slug == "safe-homes-now")
    )
    organizer = people["organizer"]
    stories = []
    for index, (who, title, body, tags, location, vis, attr, dm, press, status, answers) in enumerate(DEMO_STORIES):
        story = services.create_story(
            coalition,
            people[who],
            {"title": title, "body": body, "language": "en", "tags": tags, "location": location},
            campaign_id=campaign.id if campaign else None,
            answers=_answers(campaign, answers),
            consent={"visibility": vis, "attribution": attr, "share_with_decision_makers": dm, "press_ok": press},
        )
        story.created_at = utcnow() - timedelta(days=40 - index * 3)
        if status != StoryStatus.DRAFT:
            services._submit(story)
        if status in (StoryStatus.APPROVED, StoryStatus.RETURNED):
            approve = status == StoryStatus.APPROVED
            note = None if approve else "Could you leave out the building number? It could identify you."
            services.review_story(story, organizer, approve=approve, note=note)
        stories.append(story)
    services.propose_excerpt(
        stories[0], organizer, "Black mould came back three times. My daughter's asthma got worse every winter."
    )
    shares.record_story_share(
        stories[2],
        recipient_name="Housing Committee of the City Council",
        recipient_organization="City of Riverside",
        shared_by=organizer,
        note="Delivered in the testimony packet at the March hearing.",
    )
    services.withdraw_story(stories[-1], people["extra0"])
    db.session.flush()
