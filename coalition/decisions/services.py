"""Decision rules: creating and editing, opening, closing (the result is frozen), extending, reopening,
withdrawing; who is eligible; lists. Functions add and flush; the request or CLI command commits once.
"""

import zoneinfo
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from coalition.coalitions.queries import active_members
from coalition.core.audit import record_audit
from coalition.core.models import utcnow
from coalition.core.permissions import can, roles_with
from coalition.decisions import counting
from coalition.decisions.errors import DecisionError
from coalition.decisions.models import (
    AnonymousBallot,
    Audience,
    CollectiveDecision,
    DecisionAnswer,
    DecisionInvitee,
    DecisionKind,
    DecisionOption,
    DecisionParticipation,
    DecisionStatus,
    Privacy,
)
from coalition.extensions import db

#: Plain fields a decision form sets as they are (privacy and kind only at creation).
EDIT_FIELDS = (
    "title",
    "body",
    "links",
    "campaign_id",
    "meeting_id",
    "audience",
    "results_hidden",
    "max_choices",
    "score_max",
    "duration_minutes",
    "reminder_hours",
)
MAX_OPTIONS = 20


# --- Eligibility ---------------------------------------------------------------------------------------------


def eligible_people(decision: CollectiveDecision):
    """select(User) of the people who may answer: all members, the organizing team, or those invited by name."""
    if decision.audience == Audience.TEAM:
        return active_members(decision.coalition_id, roles_with("decision.manage"))
    statement = active_members(decision.coalition_id)
    if decision.audience == Audience.INVITED:
        from coalition.accounts.models import User

        invited = select(DecisionInvitee.user_id).where(DecisionInvitee.decision_id == decision.id)
        statement = statement.where(User.id.in_(invited))
    return statement


def eligible_count(decision: CollectiveDecision) -> int:
    """How many people may answer."""
    return db.session.scalar(select(func.count()).select_from(eligible_people(decision).order_by(None).subquery()))


def is_eligible(decision: CollectiveDecision, user) -> bool:
    """May this person answer (by who the decision is for)?"""
    from coalition.accounts.models import User

    return db.session.scalar(select(exists(eligible_people(decision).where(User.id == user.id).order_by(None)))) is True


def answered_ids(decision: CollectiveDecision):
    """select(user_id) of the people who answered (a participation on anonymous decisions)."""
    if decision.is_anonymous:
        return select(DecisionParticipation.user_id).where(DecisionParticipation.decision_id == decision.id)
    return select(DecisionAnswer.user_id).where(DecisionAnswer.decision_id == decision.id)


def has_answered(decision: CollectiveDecision, user) -> bool:
    """Has this person answered already?"""
    return user.id in set(db.session.scalars(answered_ids(decision).where(_user_column(decision) == user.id)))


def _user_column(decision):
    return DecisionParticipation.user_id if decision.is_anonymous else DecisionAnswer.user_id


def answer_count(decision: CollectiveDecision) -> int:
    """How many answered."""
    if decision.is_anonymous:
        model = DecisionParticipation
    else:
        model = DecisionAnswer
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
    from coalition.accounts.models import User

    return eligible_people(decision).where(User.id.not_in(answered_ids(decision)))


# --- Creating and editing ----------------------------------------------------------------------------------


def local_to_utc(value: datetime, tz_name: str, field: str) -> datetime:
    """A wall-clock datetime in the coalition's zone, as aware UTC."""
    zone = zoneinfo.ZoneInfo(tz_name)
    result = value.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if result.astimezone(zone).replace(tzinfo=None) != value.replace(tzinfo=None):
        raise DecisionError(_("That time does not exist in %(zone)s (the clocks jump forward).", zone=tz_name), field)
    return result


def _check_links(coalition, fields: dict) -> None:
    from coalition.campaigns.models import Campaign
    from coalition.meetings.models import Meeting

    for name, model, message in (
        ("campaign_id", Campaign, _("Please choose a campaign from the list.")),
        ("meeting_id", Meeting, _("Please choose a meeting from the list.")),
    ):
        value = fields.get(name) or None
        fields[name] = value
        if (
            value is not None
            and db.session.scalar(select(model.id).where(model.id == value, model.coalition_id == coalition.id)) is None
        ):
            raise DecisionError(message, name)


def _check_options(kind: DecisionKind, options: list) -> None:
    if kind == DecisionKind.PROPOSAL:
        return
    if not 2 <= len(options) <= MAX_OPTIONS:
        raise DecisionError(_("Please give between 2 and 20 options, one per line."), "options")
    if len(set(options)) != len(options):
        raise DecisionError(_("Each option may appear only once."), "options")


def _set_options(decision: CollectiveDecision, options: list) -> None:
    """Options are labels, or (label, starts_at) for a time poll."""
    decision.options.clear()
    db.session.flush()
    for position, option in enumerate(options, start=1):
        label, starts_at = option if isinstance(option, tuple) else (option, None)
        decision.options.append(
            DecisionOption(coalition_id=decision.coalition_id, position=position, label=label, starts_at=starts_at)
        )


def _check_times(opens_at, closes_at) -> None:
    if closes_at <= opens_at:
        raise DecisionError(_("The decision must close after it opens."), "closes_at")
    if closes_at <= utcnow():
        raise DecisionError(_("The closing time must be in the future."), "closes_at")


def create_decision(coalition, user, *, kind, privacy, options, opens_at, closes_at, **fields) -> CollectiveDecision:
    """Create a draft decision; `options` are labels (or (label, start) pairs for a time poll); times are UTC."""
    kind, privacy = DecisionKind(kind), Privacy(privacy)
    if kind == DecisionKind.TIME_POLL and privacy == Privacy.ANONYMOUS:
        raise DecisionError(
            _("A time poll cannot be anonymous: the people who can come are invited to the meeting."), "privacy"
        )
    _check_links(coalition, fields)
    _check_options(kind, options)
    _check_times(opens_at, closes_at)
    decision = CollectiveDecision(
        coalition_id=coalition.id,
        kind=kind,
        privacy=privacy,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by_id=user.id,
        status=DecisionStatus.DRAFT,
    )
    for name in EDIT_FIELDS:
        if name in fields:
            setattr(decision, name, fields[name])
    db.session.add(decision)
    db.session.flush()
    _set_options(decision, options)
    db.session.flush()
    record_audit(
        "decision.create",
        actor=user,
        coalition=coalition,
        obj=decision,
        title=decision.title,
        kind=kind.value,
        privacy=privacy.value,
    )
    return decision


def update_decision(decision: CollectiveDecision, user, *, options, opens_at, closes_at, **fields) -> None:
    """Edit a draft or open decision until its first answer; kind and privacy never change."""
    if decision.status not in (DecisionStatus.DRAFT, DecisionStatus.OPEN):
        raise DecisionError(_("Only drafts and open decisions can be edited."))
    if answer_count(decision):
        raise DecisionError(_("Someone has answered already: the decision can no longer be edited."))
    _check_links(decision.coalition, fields)
    _check_options(decision.kind, options)
    _check_times(opens_at, closes_at)
    for name in EDIT_FIELDS:
        if name in fields:
            setattr(decision, name, fields[name])
    decision.opens_at, decision.closes_at = opens_at, closes_at
    _set_options(decision, options)
    db.session.flush()
    record_audit("decision.edit", actor=user, coalition=decision.coalition, obj=decision)


def invite_people(decision: CollectiveDecision, user_ids: list[int]) -> None:
    """Set who is invited by name (active members of the coalition only)."""
    from coalition.accounts.models import User

    members = set(
        db.session.scalars(
            active_members(decision.coalition_id).with_only_columns(User.id).where(User.id.in_(user_ids))
        )
    )
    existing = set(
        db.session.scalars(select(DecisionInvitee.user_id).where(DecisionInvitee.decision_id == decision.id))
    )
    for user_id in members - existing:
        db.session.add(DecisionInvitee(coalition_id=decision.coalition_id, decision_id=decision.id, user_id=user_id))
    db.session.flush()


# --- Status --------------------------------------------------------------------------------------------------


def open_decision(decision: CollectiveDecision, user) -> None:
    """Open a draft: everyone eligible is told by mail, with one signed link per choice."""
    from coalition.decisions import notify

    if decision.status != DecisionStatus.DRAFT:
        raise DecisionError(_("Only a draft can be opened."))
    if decision.closes_at <= utcnow():
        raise DecisionError(_("The closing time has passed: please change it first."))
    decision.status = DecisionStatus.OPEN
    db.session.flush()
    notify.notify_opened(decision)
    record_audit("decision.open", actor=user, coalition=decision.coalition, obj=decision)


def current_result(decision: CollectiveDecision, with_names: bool = False) -> dict:
    """Count the answers now (no names unless asked, and never on anonymous decisions)."""
    option_ids = [option.id for option in decision.options]
    if decision.is_anonymous:
        rows = db.session.execute(
            select(AnonymousBallot.choice, AnonymousBallot.comment).where(AnonymousBallot.decision_id == decision.id)
        ).all()
        comments = [(choice, comment, None) for choice, comment in rows]
    else:
        from coalition.accounts.models import User

        rows = db.session.execute(
            select(DecisionAnswer.choice, DecisionAnswer.comment, User.display_name)
            .join(User, User.id == DecisionAnswer.user_id)
            .where(DecisionAnswer.decision_id == decision.id)
            .order_by(DecisionAnswer.id)
        ).all()
        comments = [(choice, comment, name if with_names else None) for choice, comment, name in rows]
    return counting.count(decision.kind, option_ids, [row[0] for row in rows], comments)


def close_decision(decision: CollectiveDecision, user=None) -> None:
    """Close now (early, or at its time by the CLI): freeze the result, without names, and the turnout."""
    if decision.status != DecisionStatus.OPEN:
        raise DecisionError(_("Only an open decision can be closed."))
    decision.result = current_result(decision, with_names=decision.privacy == Privacy.OPEN)
    decision.eligible_count, decision.answered_count = eligible_count(decision), answer_count(decision)
    decision.status, decision.closed_at = DecisionStatus.CLOSED, utcnow()
    if decision.closes_at > decision.closed_at:
        decision.closes_at = decision.closed_at
    db.session.flush()
    record_audit("decision.close", actor=user, coalition=decision.coalition, obj=decision)


def close_due(now=None) -> int:
    """Close the open decisions whose closing time has passed; returns how many."""
    now = now or utcnow()
    due = db.session.scalars(
        select(CollectiveDecision).where(
            CollectiveDecision.status == DecisionStatus.OPEN, CollectiveDecision.closes_at <= now
        )
    ).all()
    for decision in due:
        close_decision(decision)
    return len(due)


def extend_decision(decision: CollectiveDecision, user, closes_at: datetime) -> None:
    """Move an open decision's close later."""
    if decision.status != DecisionStatus.OPEN or decision.is_closed:
        raise DecisionError(_("Only a decision that is still open can be extended."))
    if closes_at <= decision.closes_at:
        raise DecisionError(_("The new closing time must be later than the current one."), "closes_at")
    old = decision.closes_at
    decision.closes_at = closes_at
    db.session.flush()
    record_audit(
        "decision.extend",
        actor=user,
        coalition=decision.coalition,
        obj=decision,
        closes_at=closes_at.isoformat(),
        was=old.isoformat(),
    )


def reopen_decision(decision: CollectiveDecision, user, closes_at: datetime) -> None:
    """Reopen a closed decision until `closes_at` (not anonymous ones: their result is final)."""
    if decision.is_anonymous:
        raise DecisionError(_("Anonymous decisions cannot be reopened."))
    if decision.status != DecisionStatus.CLOSED:
        raise DecisionError(_("Only a closed decision can be reopened."))
    if closes_at <= utcnow():
        raise DecisionError(_("The new closing time must be in the future."), "closes_at")
    decision.status, decision.closes_at, decision.closed_at, decision.result = (
        DecisionStatus.OPEN,
        closes_at,
        None,
        None,
    )
    db.session.flush()
    record_audit("decision.reopen", actor=user, coalition=decision.coalition, obj=decision)


def withdraw_decision(decision: CollectiveDecision, user) -> None:
    """Withdraw a draft or open decision: nobody can answer and no result is shown."""
    if decision.status not in (DecisionStatus.DRAFT, DecisionStatus.OPEN):
        raise DecisionError(_("Only drafts and open decisions can be withdrawn."))
    decision.status = DecisionStatus.WITHDRAWN
    db.session.flush()
    record_audit("decision.withdraw", actor=user, coalition=decision.coalition, obj=decision)


# --- Lists ---------------------------------------------------------------------------------------------------


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


def list_decisions(
    coalition, user, *, state="open", campaign_id=None, meeting_id=None, kind=None, needs_me=False, query=""
):
    """Open (closing soonest first), closed (latest first, searchable) or draft decisions, with filters."""
    statement = visible_decisions(coalition, user)
    if state == "closed":
        statement = statement.where(CollectiveDecision.status == DecisionStatus.CLOSED).order_by(
            CollectiveDecision.closed_at.desc(), CollectiveDecision.id.desc()
        )
    elif state == "drafts":
        statement = statement.where(CollectiveDecision.status == DecisionStatus.DRAFT).order_by(
            CollectiveDecision.id.desc()
        )
    else:
        statement = statement.where(
            CollectiveDecision.status == DecisionStatus.OPEN, CollectiveDecision.closes_at > utcnow()
        ).order_by(CollectiveDecision.closes_at, CollectiveDecision.id)
    if campaign_id:
        statement = statement.where(CollectiveDecision.campaign_id == campaign_id)
    if meeting_id:
        statement = statement.where(CollectiveDecision.meeting_id == meeting_id)
    if kind:
        statement = statement.where(CollectiveDecision.kind == kind)
    if query:
        pattern = f"%{query.strip()[:100]}%"
        statement = statement.where(CollectiveDecision.title.ilike(pattern) | CollectiveDecision.outcome.ilike(pattern))
    if needs_me:
        statement = statement.where(CollectiveDecision.id.in_(waiting_for(coalition, user)))
    return statement


def waiting_for(coalition, user):
    """select(decision id) of open decisions this person may answer and has not answered yet."""
    from coalition.coalitions.models import Membership

    named = select(DecisionAnswer.decision_id).where(DecisionAnswer.user_id == user.id)
    anonymous = select(DecisionParticipation.decision_id).where(DecisionParticipation.user_id == user.id)
    invited = select(DecisionInvitee.decision_id).where(DecisionInvitee.user_id == user.id)
    role = db.session.scalar(
        select(Membership.role).where(Membership.coalition_id == coalition.id, Membership.user_id == user.id)
    )
    audiences = [Audience.MEMBERS] + ([Audience.TEAM] if role in roles_with("decision.manage") else [])
    now = utcnow()
    return select(CollectiveDecision.id).where(
        CollectiveDecision.coalition_id == coalition.id,
        CollectiveDecision.status == DecisionStatus.OPEN,
        CollectiveDecision.opens_at <= now,
        CollectiveDecision.closes_at > now,
        CollectiveDecision.audience.in_(audiences) | CollectiveDecision.id.in_(invited),
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
