"""What decisions give campaign momentum (people who answered, decisions closed on the timeline) and the lead's
dashboard panel (open decisions and their turnout)."""

from collections import Counter

from sqlalchemy import func, inspect, select, union_all

from coalition.accounts.models import User
from coalition.campaigns.providers import TimelineEntry, TimelineRows
from coalition.campaigns.tallies import ReachSource, counted, person_key
from coalition.coalitions.queries import active_members
from coalition.core.kept import ids_of
from coalition.core.links import row_link
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


ANSWER, PARTICIPATION, DECISION = "answer", "participation", "decision"


def _reach_changes(session) -> set:
    """Answers and participations touched, and decisions whose answers all count differently now (deleted, moved
    to another campaign)."""
    touched = {(ANSWER, i) for i in ids_of(session, DecisionAnswer)}
    touched |= {(PARTICIPATION, i) for i in ids_of(session, DecisionParticipation)}
    for decision in session.deleted:
        if isinstance(decision, CollectiveDecision):
            touched.add((DECISION, decision.id))
    for decision in session.dirty:
        if isinstance(decision, CollectiveDecision) and inspect(decision).attrs.campaign_id.history.has_changes():
            touched.add((DECISION, decision.id))
    return touched


def reach_contributions(touched=None, coalition_id=None) -> Counter:
    """Counter{(coalition, campaign, person): answers}: members who answered a campaign's decision (named answers,
    or participations in anonymous ones)."""
    found: Counter = Counter()
    for model, kind in ((DecisionAnswer, ANSWER), (DecisionParticipation, PARTICIPATION)):
        statement = (
            select(model.coalition_id, CollectiveDecision.campaign_id, person_key(model.user_id, None))
            .join(CollectiveDecision, CollectiveDecision.id == model.decision_id)
            .where(CollectiveDecision.campaign_id.is_not(None))
        )
        if touched is not None:
            rows = sorted(key for touched_kind, key in touched if touched_kind == kind)
            decisions = sorted(key for touched_kind, key in touched if touched_kind == DECISION)
            if not rows and not decisions:
                continue
            statement = statement.where(model.id.in_(rows) | model.decision_id.in_(decisions))
        if coalition_id is not None:
            statement = statement.where(model.coalition_id == coalition_id)
        found.update(counted(db.session.execute(statement)))
    return found


#: What decisions add to the people a campaign reached.
REACH = ReachSource(_reach_changes, reach_contributions)


def last_activity(campaign_id):
    """When the campaign's latest decision closed (a subquery walking (campaign_id, closed_at) backwards)."""
    return (
        select(CollectiveDecision.closed_at)
        .where(
            CollectiveDecision.campaign_id == campaign_id,
            CollectiveDecision.status == DecisionStatus.CLOSED,
            CollectiveDecision.closed_at.is_not(None),
        )
        .order_by(CollectiveDecision.closed_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def timeline_rows(campaign, viewer) -> TimelineRows:
    """Decisions of the campaign closed that `viewer` may see, for the campaign's timeline."""
    rows = (
        visible_decisions(campaign.coalition, viewer)
        .with_only_columns(CollectiveDecision.closed_at, CollectiveDecision.id, CollectiveDecision.title)
        .where(
            CollectiveDecision.campaign_id == campaign.id,
            CollectiveDecision.status == DecisionStatus.CLOSED,
            CollectiveDecision.closed_at.is_not(None),
        )
    )
    return TimelineRows(rows, _decision_entry)


def _decision_entry(at, decision_id, title) -> TimelineEntry:
    return TimelineEntry(at, "decision", title, row_link("decisions.show", "decision_id", decision_id))


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
    if not decisions:  # nothing open: no turnout to count
        return {"rows": []}
    answered, eligible = _answered([d.id for d in decisions]), _eligible(coalition, decisions)
    rows = []
    for decision in decisions:
        yes, of = answered.get(decision.id, 0), eligible.get(decision.id, 0)
        rows.append(
            {"decision": decision, "answered": yes, "eligible": of, "percent": round(100 * yes / of) if of else 0}
        )
    return {"rows": rows}
