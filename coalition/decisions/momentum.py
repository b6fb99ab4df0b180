"""What decisions give campaign momentum (people who answered, decisions closed on the timeline) and the lead's
dashboard panel (open decisions and their turnout)."""

from flask import url_for
from sqlalchemy import func, select, union_all

from coalition.accounts.models import User
from coalition.campaigns.momentum import person_row
from coalition.campaigns.providers import TimelineEntry
from coalition.coalitions.queries import active_members
from coalition.core.models import utcnow
from coalition.core.permissions import can, roles_with
from coalition.decisions.lists import visible_decisions
from coalition.decisions.models import (
    Audience,
    CollectiveDecision,
    DecisionAnswer,
    DecisionInvitee,
    DecisionParticipation,
    DecisionStatus,
)
from coalition.extensions import db

PANEL_LIMIT = 5


def people_reached(campaign_ids):
    """select(campaign_id, user_id, email): members who answered a campaign's decision (named or anonymous)."""
    named = (
        select(*person_row(CollectiveDecision.campaign_id, DecisionAnswer.user_id))
        .join(DecisionAnswer, DecisionAnswer.decision_id == CollectiveDecision.id)
        .where(CollectiveDecision.campaign_id.in_(campaign_ids))
    )
    anonymous = (
        select(*person_row(CollectiveDecision.campaign_id, DecisionParticipation.user_id))
        .join(DecisionParticipation, DecisionParticipation.decision_id == CollectiveDecision.id)
        .where(CollectiveDecision.campaign_id.in_(campaign_ids))
    )
    return union_all(named, anonymous).subquery().select()


def last_activity(campaign_ids):
    """select(campaign_id, at): when a campaign's decisions closed."""
    return select(CollectiveDecision.campaign_id.label("campaign_id"), CollectiveDecision.closed_at.label("at")).where(
        CollectiveDecision.campaign_id.in_(campaign_ids),
        CollectiveDecision.status == DecisionStatus.CLOSED,
        CollectiveDecision.closed_at.is_not(None),
    )


def timeline_entries(campaign, viewer, limit: int) -> list[TimelineEntry]:
    """Decisions of the campaign closed, newest first, that `viewer` may see (one query)."""
    rows = db.session.execute(
        visible_decisions(campaign.coalition, viewer)
        .with_only_columns(CollectiveDecision.id, CollectiveDecision.title, CollectiveDecision.closed_at)
        .where(
            CollectiveDecision.campaign_id == campaign.id,
            CollectiveDecision.status == DecisionStatus.CLOSED,
            CollectiveDecision.closed_at.is_not(None),
        )
        .order_by(CollectiveDecision.closed_at.desc(), CollectiveDecision.id.desc())
        .limit(limit)
    )
    return [
        TimelineEntry(at, "decision", title, url_for("decisions.show", decision_id=decision_id))
        for decision_id, title, at in rows
    ]


def _answered(ids) -> dict[int, int]:
    named = select(DecisionAnswer.decision_id.label("decision_id")).where(DecisionAnswer.decision_id.in_(ids))
    anonymous = select(DecisionParticipation.decision_id.label("decision_id")).where(
        DecisionParticipation.decision_id.in_(ids)
    )
    answers = union_all(named, anonymous).subquery()
    rows = db.session.execute(
        select(answers.c.decision_id, func.count()).select_from(answers).group_by(answers.c.decision_id)
    )
    return dict(rows.all())


def _eligible(coalition, decisions) -> dict[int, int]:
    """Eligible people per decision in three queries: all members, the team, and invitees per decision."""
    count = func.count(User.id)
    members = db.session.scalar(active_members(coalition.id).with_only_columns(count).order_by(None))
    team = db.session.scalar(
        active_members(coalition.id, roles_with("decision.manage")).with_only_columns(count).order_by(None)
    )
    invited = dict(
        db.session.execute(
            select(DecisionInvitee.decision_id, func.count())
            .where(DecisionInvitee.decision_id.in_([d.id for d in decisions]))
            .group_by(DecisionInvitee.decision_id)
        ).all()
    )
    by_audience = {Audience.MEMBERS: members, Audience.TEAM: team}
    return {d.id: by_audience.get(d.audience, invited.get(d.id, 0)) for d in decisions}


def turnout_panel(coalition, user):
    """For leads: the open decisions closing soonest, each with its turnout (at most five queries)."""
    if not can("coalition.manage", coalition, user):
        return None
    now = utcnow()
    decisions = db.session.scalars(
        select(CollectiveDecision)
        .where(
            CollectiveDecision.coalition_id == coalition.id,
            CollectiveDecision.status == DecisionStatus.OPEN,
            CollectiveDecision.closes_at > now,
        )
        .order_by(CollectiveDecision.closes_at, CollectiveDecision.id)
        .limit(PANEL_LIMIT)
    ).all()
    answered, eligible = _answered([d.id for d in decisions]), _eligible(coalition, decisions)
    rows = []
    for decision in decisions:
        yes, of = answered.get(decision.id, 0), eligible.get(decision.id, 0)
        rows.append(
            {"decision": decision, "answered": yes, "eligible": of, "percent": round(100 * yes / of) if of else 0}
        )
    return {"rows": rows}
