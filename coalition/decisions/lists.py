"""Which decisions a person sees: the lists (open · closed · drafts, filtered and searchable), "needs my answer",
and the decisions of a campaign or a meeting."""

from datetime import datetime, timedelta

from sqlalchemy import select

from coalition.core.models import utcnow
from coalition.core.permissions import can, membership_for, roles_with
from coalition.decisions.models import (
    Audience,
    CollectiveDecision,
    DecisionAnswer,
    DecisionInvitee,
    DecisionParticipation,
    DecisionStatus,
)
from coalition.extensions import db


def visible_decisions(coalition, user):
    """select(CollectiveDecision) the person may see: organizers everything; members the non-drafts of which
    they are part (all members, the team when in it, or invited)."""
    statement = select(CollectiveDecision).where(CollectiveDecision.coalition_id == coalition.id)
    if can("decision.manage", coalition, user):
        return statement
    invited = select(DecisionInvitee.decision_id).where(DecisionInvitee.user_id == user.id)
    return statement.where(
        CollectiveDecision.status != DecisionStatus.DRAFT,
        (CollectiveDecision.audience == Audience.MEMBERS) | CollectiveDecision.id.in_(invited),
    )


def _in_state(statement, state: str):
    if state == "closed":
        return statement.where(CollectiveDecision.status == DecisionStatus.CLOSED).order_by(
            CollectiveDecision.closed_at.desc(), CollectiveDecision.id.desc()
        )
    if state == "drafts":
        return statement.where(CollectiveDecision.status == DecisionStatus.DRAFT).order_by(CollectiveDecision.id.desc())
    return statement.where(
        CollectiveDecision.status == DecisionStatus.OPEN, CollectiveDecision.closes_at > utcnow()
    ).order_by(CollectiveDecision.closes_at, CollectiveDecision.id)


def list_decisions(
    coalition, user, *, state="open", campaign_id=None, meeting_id=None, kind=None, needs_me=False, query=""
):
    """Open (closing soonest first), closed (latest first, searchable) or draft decisions, with filters."""
    statement = _in_state(visible_decisions(coalition, user), state)
    if campaign_id:
        statement = statement.where(CollectiveDecision.campaign_id == campaign_id)
    if meeting_id:
        statement = statement.where(CollectiveDecision.meeting_id == meeting_id)
    if kind:
        statement = statement.where(CollectiveDecision.kind == kind)
    if query.strip():
        pattern = f"%{query.strip()[:100]}%"
        statement = statement.where(CollectiveDecision.title.ilike(pattern) | CollectiveDecision.outcome.ilike(pattern))
    if needs_me:
        statement = statement.where(CollectiveDecision.id.in_(waiting_for(coalition, user)))
    return statement


def waiting_for(coalition, user):
    """select(decision id) of open decisions this person may answer and has not answered yet."""
    return waiting_ids(coalition.id, user.id, utcnow(), audiences_of(coalition, user))


def audiences_of(coalition, user) -> tuple[Audience, ...]:
    """The audiences a person belongs to in a coalition: all members, and the team when in it."""
    membership = membership_for(user, coalition.id)  # loaded once per request
    role = membership.role if membership is not None else None
    return (Audience.MEMBERS, Audience.TEAM) if role in roles_with("decision.manage") else (Audience.MEMBERS,)


def waiting_ids(coalition_id, user_id, now, audiences: tuple[Audience, ...]):
    """`waiting_for()` of ids and a time that are values or bound parameters."""
    named = select(DecisionAnswer.decision_id).where(DecisionAnswer.user_id == user_id)
    anonymous = select(DecisionParticipation.decision_id).where(DecisionParticipation.user_id == user_id)
    invited = select(DecisionInvitee.decision_id).where(DecisionInvitee.user_id == user_id)
    return select(CollectiveDecision.id).where(
        CollectiveDecision.coalition_id == coalition_id,
        CollectiveDecision.status == DecisionStatus.OPEN,
        CollectiveDecision.opens_at <= now,
        CollectiveDecision.closes_at > now,
        CollectiveDecision.audience.in_(list(audiences)) | CollectiveDecision.id.in_(invited),
        CollectiveDecision.id.not_in(named),
        CollectiveDecision.id.not_in(anonymous),
    )


def decisions_of(coalition, user, *, campaign_id=None, meeting_id=None, limit=20) -> list[CollectiveDecision]:
    """The decisions of a campaign or a meeting the person may see, latest first (for their pages)."""
    statement = visible_decisions(coalition, user).where(CollectiveDecision.status != DecisionStatus.WITHDRAWN)
    if campaign_id:
        statement = statement.where(CollectiveDecision.campaign_id == campaign_id)
    if meeting_id:
        statement = statement.where(CollectiveDecision.meeting_id == meeting_id)
    return list(db.session.scalars(statement.order_by(CollectiveDecision.id.desc()).limit(limit)))


def default_close(coalition, days: int = 7) -> datetime:
    """A week from now, on the hour (a sensible default for the form)."""
    return (utcnow() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
