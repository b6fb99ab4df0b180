"""Decisions' part of the dashboard ("waiting for my answer"), of the campaign and meeting pages, of "export my
data" and of "delete my account"."""

from functools import cache

from sqlalchemy import bindparam, select

from coalition.core.forms import ActionForm
from coalition.core.models import utcnow
from coalition.core.permissions import can
from coalition.decisions import checkins, lists
from coalition.decisions.models import CollectiveDecision, DecisionAnswer, DecisionParticipation
from coalition.extensions import db

PANEL_LIMIT = 5


def decisions_panel(coalition, user):
    """Open decisions waiting for my answer, closing soonest first."""
    values = {"coalition_id": coalition.id, "user_id": user.id, "now": utcnow()}
    return {"waiting": db.session.scalars(_waiting_statement(lists.audiences_of(coalition, user)), values).all()}


@cache
def _waiting_statement(audiences: tuple):
    """Built once per set of audiences (every dashboard asks): the first decisions waiting for :user_id's answer in
    :coalition_id at :now, closing soonest first."""
    waiting = lists.waiting_ids(bindparam("coalition_id"), bindparam("user_id"), bindparam("now"), audiences)
    return (
        select(CollectiveDecision)
        .where(CollectiveDecision.id.in_(waiting))
        .order_by(CollectiveDecision.closes_at, CollectiveDecision.id)
        .limit(PANEL_LIMIT)
    )


def campaign_section(campaign, user):
    """The campaign's decisions, and its check-in (trend for organizers, summary for members)."""
    if not can("decision.view", campaign, user):
        return None
    checkin = checkins.checkin_of(campaign)
    threshold = campaign.coalition.suppression_threshold
    context = {
        "decisions": lists.decisions_of(campaign.coalition, user, campaign_id=campaign.id),
        "campaign": campaign,
        "checkin": checkin,
        "trend": checkins.trend(checkin, threshold) if checkin else [],
        "manage": can("checkin.manage", campaign, user),
        "answered": checkins.has_answered(checkin, user) if checkin and checkin.active else True,
        "action_form": ActionForm(),
    }
    return context


def meeting_section(meeting, user):
    """The meeting's decisions."""
    if not can("decision.view", meeting, user):
        return None
    return {"decisions": lists.decisions_of(meeting.coalition, user, meeting_id=meeting.id), "meeting": meeting}


def export_decisions(user) -> dict:
    """My named answers; for anonymous decisions only that I took part (nothing else links them to me)."""
    answers = db.session.execute(
        select(DecisionAnswer, CollectiveDecision.title)
        .join(CollectiveDecision, CollectiveDecision.id == DecisionAnswer.decision_id)
        .where(DecisionAnswer.user_id == user.id)
    ).all()
    took_part = db.session.scalars(
        select(CollectiveDecision.title)
        .join(DecisionParticipation, DecisionParticipation.decision_id == CollectiveDecision.id)
        .where(DecisionParticipation.user_id == user.id)
    ).all()
    return {
        "answers": [{"decision": title, "answer": a.choice, "comment": a.comment} for a, title in answers],
        "anonymous_decisions_answered": list(took_part),
    }


def erase_decisions(user, keep_stories_anonymised: bool) -> None:
    """Delete my named answers and participations (anonymous ballots were never mine to find)."""
    for model in (DecisionAnswer, DecisionParticipation):
        for row in db.session.scalars(select(model).where(model.user_id == user.id)).all():
            db.session.delete(row)
    db.session.flush()
