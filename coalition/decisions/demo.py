"""Demo decisions: an open proposal with answers and a block, a closed ranked-choice decision with its rounds and
an outcome, and an open time poll for the next house meeting."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from coalition.campaigns.models import Campaign
from coalition.core.models import utcnow
from coalition.decisions import answers, outcome, services
from coalition.decisions.models import DecisionStatus
from coalition.extensions import db


def _open(coalition, by, **fields):
    decision = services.create_decision(coalition, by, opens_at=utcnow() - timedelta(minutes=1), **fields)
    services.open_decision(decision, by)
    return decision


def _times(coalition, days, hours):
    zone = ZoneInfo(coalition.timezone or "UTC")
    base = utcnow().astimezone(zone).replace(hour=18, minute=30, second=0, microsecond=0)
    return [
        (
            f"{(base + timedelta(days=d)).strftime('%Y-%m-%d %H:%M')}",
            (base + timedelta(days=d, hours=h)).astimezone(ZoneInfo("UTC")),
        )
        for d, h in zip(days, hours, strict=True)
    ]


def seed_decisions(coalition, people) -> None:
    """Seed the three demo decisions."""
    organizer = people["organizer"]
    members = [p for key, p in people.items() if key not in ("lead", "organizer")]
    campaign_id = db.session.scalar(
        select(Campaign.id).where(Campaign.coalition_id == coalition.id).order_by(Campaign.id).limit(1)
    )
    proposal = _open(
        coalition,
        organizer,
        kind="proposal",
        privacy="organizers",
        title="Lead with the repairs demand at the hearing",
        campaign_id=campaign_id,
        body="We lead with **repairs before any rent increase**, then the deposit refunds.",
        options=[],
        closes_at=utcnow() + timedelta(days=5),
    )
    for person, position, reason in zip(
        members,
        ["agree", "agree", "block", "abstain"],
        ["", "", "Deposits hurt more families on my floor.", ""],
        strict=False,
    ):
        answers.answer(proposal, person, {"position": position}, reason)
    ranked = services.create_decision(
        coalition,
        organizer,
        kind="ranked",
        # Names for organizers: an anonymous ballot of five would show every round as "fewer than 5".
        privacy="organizers",
        title="Which hearing do we pack?",
        options=["City council", "Housing board", "Zoning committee"],
        opens_at=utcnow() - timedelta(days=3),
        closes_at=utcnow() + timedelta(hours=1),
    )
    services.open_decision(ranked, organizer)
    rankings = [[0, 1, 2], [1, 0, 2], [2, 1, 0], [1, 2, 0], [0, 1, 2]]
    ids = [o.id for o in ranked.options]
    for person, ranking in zip(members + [people["lead"]], rankings, strict=False):
        answers.answer(ranked, person, {"ranking": [ids[i] for i in ranking]})
    services.close_decision(ranked, organizer)
    outcome.write_outcome(ranked, organizer, "We pack the **Housing board** hearing. Omar books the bus.")
    outcome.add_action_item(
        ranked,
        organizer,
        title="Book the bus to the Housing board hearing",
        owner_id=organizer.id,
        due_on=(utcnow() + timedelta(days=7)).date(),
    )
    _open(
        coalition,
        organizer,
        kind="time_poll",
        privacy="open",
        title="Next house meeting on Elm Street",
        body="When can you come?",
        options=_times(coalition, [8, 9, 11], [0, 0, 0]),
        duration_minutes=90,
        closes_at=utcnow() + timedelta(days=4),
    )
    assert ranked.status == DecisionStatus.CLOSED
    db.session.flush()
