"""The campaigns of the benchmark dataset: questions, updates and followers (context: `coalition.core.bulk`)."""

from datetime import timedelta

from coalition.campaigns.models import Campaign, CampaignFollower, CampaignQuestion, CampaignUpdate
from coalition.core.bulk import STORY_TAGS, TOPICS, insert_rows

#: Campaigns stay 20 whatever the scale.
CAMPAIGNS = 20
QUESTIONS = (
    ("yes_no", "Have you reported the problem to your landlord?", []),
    ("choice", "How long have you lived in your home?", ["Less than a year", "1 to 5 years", "More than 5 years"]),
    ("number", "How many months did you wait for repairs?", []),
    ("short_text", "What would fix this for you?", []),
)


def bench_rows(ctx) -> None:
    """Insert the campaigns with four questions, five updates and up to 50 followers each.

    Adds `ctx["campaigns"]` (ids) and `ctx["questions"]` (campaign id -> [(question id, (kind, prompt, choices))]).
    """
    rng, now, coalition_id = ctx["rng"], ctx["now"], ctx["coalition_id"]
    statuses = ["active"] * 12 + ["planning", "planning", "won", "lost", "paused", "paused", "archived", "archived"]
    campaigns = [
        {
            "coalition_id": coalition_id,
            "title": f"{rng.choice(TOPICS).capitalize()} campaign {i}",
            "slug": f"campaign-{i}",
            "summary": ctx["text"].body(20, 40),
            "goal": "Safe, healthy homes for every tenant.",
            "decision_maker": "City Council",
            "status": statuses[i % len(statuses)],
            "issue_tags": rng.sample(STORY_TAGS, 2),
            "public_page": i % 3 == 0,
            "story_prompt": "Tell us what happened in your home.",
            "story_goal": 5_000,
            "starts_on": (now - timedelta(days=rng.randint(30, 700))).date(),
        }
        for i in range(1, CAMPAIGNS + 1)
    ]
    campaign_ids = insert_rows(Campaign, campaigns, returning=True)
    questions = [
        {
            "campaign_id": cid,
            "coalition_id": coalition_id,
            "position": p,
            "kind": kind,
            "prompt": prompt,
            "choices": choices,
            "required": p == 1,
        }
        for cid in campaign_ids
        for p, (kind, prompt, choices) in enumerate(QUESTIONS, start=1)
    ]
    question_ids = insert_rows(CampaignQuestion, questions, returning=True)
    ctx["questions"] = {
        cid: list(zip(question_ids[i * 4 : i * 4 + 4], QUESTIONS, strict=True)) for i, cid in enumerate(campaign_ids)
    }
    updates = [
        {
            "campaign_id": cid,
            "coalition_id": coalition_id,
            "author_id": rng.choice(ctx["team"]),
            "body": ctx["text"].body(20, 60),
            "created_at": now - timedelta(days=rng.randint(1, 400)),
        }
        for cid in campaign_ids
        for _ in range(5)
    ]
    insert_rows(CampaignUpdate, updates)
    followers = [
        {"campaign_id": cid, "coalition_id": coalition_id, "user_id": uid}
        for cid in campaign_ids
        for uid in rng.sample(ctx["members"], min(50, len(ctx["members"])))
    ]
    insert_rows(CampaignFollower, followers)
    ctx["campaigns"] = campaign_ids
    ctx["counts"]["campaigns"] = len(campaign_ids)
