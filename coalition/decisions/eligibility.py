"""Who a decision is for, who has answered it, and the turnout (answered / eligible)."""

from sqlalchemy import exists, func, select

from coalition.accounts.models import User
from coalition.coalitions.queries import active_members
from coalition.core.permissions import roles_with
from coalition.decisions.models import (
    Audience,
    CollectiveDecision,
    DecisionAnswer,
    DecisionInvitee,
    DecisionParticipation,
    DecisionStatus,
)
from coalition.extensions import db


def eligible_people(decision: CollectiveDecision):
    """select(User) of the people who may answer: all members, the organizing team, or those invited by name."""
    if decision.audience == Audience.TEAM:
        return active_members(decision.coalition_id, roles_with("decision.manage"))
    statement = active_members(decision.coalition_id)
    if decision.audience == Audience.INVITED:
        invited = select(DecisionInvitee.user_id).where(DecisionInvitee.decision_id == decision.id)
        statement = statement.where(User.id.in_(invited))
    return statement


def eligible_count(decision: CollectiveDecision) -> int:
    """How many people may answer."""
    return db.session.scalar(select(func.count()).select_from(eligible_people(decision).order_by(None).subquery()))


def is_eligible(decision: CollectiveDecision, user) -> bool:
    """May this person answer (by who the decision is for)?"""
    return db.session.scalar(select(exists(eligible_people(decision).where(User.id == user.id).order_by(None)))) is True


def _answered_model(decision: CollectiveDecision):
    """Participations say who answered an anonymous decision; named answers do for the others."""
    return DecisionParticipation if decision.is_anonymous else DecisionAnswer


def answered_ids(decision: CollectiveDecision):
    """select(user_id) of the people who answered (a participation on anonymous decisions)."""
    model = _answered_model(decision)
    return select(model.user_id).where(model.decision_id == decision.id)


def has_answered(decision: CollectiveDecision, user) -> bool:
    """Has this person answered already?"""
    model = _answered_model(decision)
    statement = select(model.id).where(model.decision_id == decision.id, model.user_id == user.id)
    return db.session.scalar(statement) is not None


def answer_count(decision: CollectiveDecision) -> int:
    """How many answered."""
    model = _answered_model(decision)
    return db.session.scalar(select(func.count()).where(model.decision_id == decision.id))


def turnout(decision: CollectiveDecision) -> dict:
    """Answered / eligible (frozen at the close)."""
    if decision.status == DecisionStatus.CLOSED and decision.eligible_count is not None:
        answered, eligible = decision.answered_count or 0, decision.eligible_count
    else:
        answered, eligible = answer_count(decision), eligible_count(decision)
    return {"answered": answered, "eligible": eligible, "percent": round(100 * answered / eligible) if eligible else 0}


def not_answered(decision: CollectiveDecision):
    """select(User) of eligible people who have not answered."""
    return eligible_people(decision).where(User.id.not_in(answered_ids(decision)))
