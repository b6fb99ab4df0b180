"""The demo seeder gives a realistic map: a dozen targets, movement, outreach, due and overdue follow-ups."""

from coalition.demo import seed_demo
from coalition.extensions import db
from coalition.stakeholders.followups import follow_ups
from coalition.stakeholders.models import CampaignTarget, Stakeholder, StanceChange


def test_demo_seeds_targets_across_the_map_with_history_and_follow_ups(app):
    from coalition.coalitions.models import Coalition

    assert seed_demo()
    db.session.commit()
    coalition = db.session.scalar(db.select(Coalition))
    assert db.session.scalar(db.select(db.func.count(Stakeholder.id))) == 12
    stances = set(db.session.scalars(db.select(CampaignTarget.stance)))
    assert len(stances) >= 5
    moved = db.session.scalar(db.select(db.func.count(StanceChange.id)).where(StanceChange.old_stance.is_not(None)))
    assert moved >= 4
    queue = follow_ups(coalition)
    assert queue["overdue"] and queue["upcoming"]
