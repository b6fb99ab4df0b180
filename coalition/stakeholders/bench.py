"""The stakeholders of the benchmark dataset: tags, campaign targets with their stance history, outreach (context:
`coalition.core.bulk`)."""

from datetime import timedelta

from coalition.core.bulk import FIRST, LAST, PLACES, insert_rows, scaled
from coalition.stakeholders.models import CampaignTarget, Outreach, Stakeholder, StakeholderTag, StanceChange
from coalition.stakeholders.outreach import mark_latest

#: Stakeholders and outreach entries per unit of scale, and the fewest stakeholders at any scale.
STAKEHOLDERS, OUTREACH, MINIMUM_STAKEHOLDERS = 5_000, 30_000, 12
STAKEHOLDER_TAGS = "council housing health budget press landlord ward-4 ward-7 state federal".split()
CATEGORIES = [
    "elected_official",
    "agency_staff",
    "landlord",
    "healthcare_provider",
    "community_leader",
    "media",
    "funder",
    "ally",
]
STANCES = ["champion", "supportive", "neutral", "opposed", "hostile", "unknown"]


def bench_rows(ctx) -> None:
    """Insert the stakeholders with their tags, then their campaign targets and outreach."""
    rng, coalition_id = ctx["rng"], ctx["coalition_id"]
    total = scaled(STAKEHOLDERS, ctx["scale"], MINIMUM_STAKEHOLDERS)
    stakeholders = [
        {
            "coalition_id": coalition_id,
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
            "title": rng.choice(["Council member", "Director", "Property manager", "Reporter", "Pastor", "Nurse"]),
            "organization": f"{rng.choice(PLACES).capitalize()} {rng.choice(['Council', 'Agency', 'Realty', 'News'])}",
            "category": rng.choice(CATEGORIES),
            "jurisdiction": f"Ward {rng.randint(1, 12)}",
            "email": f"stakeholder{i}@{ctx['email_domain']}" if rng.random() < 0.8 else "",
            "phone": f"555-{rng.randint(1000, 9999)}",
            "notes": ctx["text"].body(5, 30),
            "tags": sorted(rng.sample(STAKEHOLDER_TAGS, rng.randint(0, 3))),
            "created_by_id": rng.choice(ctx["team"]),
        }
        for i in range(1, total + 1)
    ]
    stakeholder_ids = insert_rows(Stakeholder, stakeholders, returning=True)
    pairs = zip(stakeholder_ids, stakeholders, strict=True)
    tags = [{"stakeholder_id": i, "coalition_id": coalition_id, "tag": t} for i, row in pairs for t in row["tags"]]
    insert_rows(StakeholderTag, tags)
    targets_of = _targets(ctx, stakeholder_ids)
    _outreach(ctx, stakeholder_ids, targets_of)
    ctx["counts"]["stakeholders"] = len(stakeholder_ids)


def _targets(ctx, stakeholder_ids) -> dict[int, list[int]]:
    """Targets (0–2 campaigns per stakeholder) with a stance history ending at the current stance."""
    rng, now, coalition_id = ctx["rng"], ctx["now"], ctx["coalition_id"]
    rows, campaigns_of = [], {}
    for stakeholder_id in stakeholder_ids:
        chosen = rng.sample(ctx["campaigns"], rng.choices([0, 1, 2], [3, 5, 2])[0])
        campaigns_of[stakeholder_id] = chosen
        for campaign_id in chosen:
            rows.append(
                {
                    "coalition_id": coalition_id,
                    "campaign_id": campaign_id,
                    "stakeholder_id": stakeholder_id,
                    "stance": rng.choice(STANCES),
                    "influence": rng.randint(1, 5),
                    "priority": rng.choice(["high", "medium", "low"]),
                    "ask": "Vote for the repair ordinance.",
                    "owner_id": rng.choice(ctx["team"]),
                }
            )
    target_ids = insert_rows(CampaignTarget, rows, returning=True)
    changes = []
    for target_id, row in zip(target_ids, rows, strict=True):
        history = [rng.choice(STANCES) for _ in range(rng.randint(0, 2))] + [row["stance"]]
        start = now - timedelta(days=rng.randint(60, 500))
        old, at = None, start
        for step, stance in enumerate(history):
            # Steps in order and never in the future, so the last step is the current stance (as services keep it).
            gap = timedelta(days=rng.randint(10, 50))
            at = start if step == 0 else min(now, at + gap)
            changes.append(
                {
                    "coalition_id": coalition_id,
                    "target_id": target_id,
                    "campaign_id": row["campaign_id"],
                    "old_stance": old,
                    "new_stance": stance,
                    "changed_by_id": row["owner_id"],
                    "created_at": at,
                }
            )
            old = stance
    insert_rows(StanceChange, changes)
    ctx["counts"].update(targets=len(target_ids), stance_changes=len(changes))
    return campaigns_of


def _outreach(ctx, stakeholder_ids, campaigns_of) -> None:
    rng, now, coalition_id = ctx["rng"], ctx["now"], ctx["coalition_id"]
    today = now.date()
    rows = []
    for _ in range(round(OUTREACH * ctx["scale"])):
        stakeholder_id = rng.choice(stakeholder_ids)
        occurred = now - timedelta(hours=rng.randint(1, 400 * 24))
        follow_up = today + timedelta(days=rng.randint(-60, 30)) if rng.random() < 0.35 else None
        owner = rng.choice(ctx["team"])
        rows.append(
            {
                "coalition_id": coalition_id,
                "stakeholder_id": stakeholder_id,
                "campaign_id": rng.choice(campaigns_of[stakeholder_id] or [None]),
                "occurred_at": occurred,
                "channel": rng.choice(["call", "email", "letter", "meeting", "hearing_testimony", "public_event"]),
                "summary": ctx["text"].body(8, 30),
                "outcome": "",
                "response": rng.choices(["awaiting", "responded", "none"], [3, 5, 2])[0],
                "follow_up_on": follow_up,
                "follow_up_owner_id": owner if follow_up else None,
                "follow_up_done": bool(follow_up and follow_up < today and rng.random() < 0.5),
                "logged_by_id": owner,
                "created_at": occurred,
                "updated_at": occurred,
            }
        )
    insert_rows(Outreach, rows)
    mark_latest(coalition_id=coalition_id)
    ctx["counts"]["outreach"] = len(rows)
