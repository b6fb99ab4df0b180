"""Decision rules: creating and editing, opening, closing (the result is frozen), extending, reopening,
withdrawing, reminding. Functions add and flush; the request or CLI command commits once. Who is eligible lives
in `eligibility`, the lists in `lists`.
"""

import zoneinfo
from datetime import UTC, datetime

from sqlalchemy import select

from coalition.accounts.models import User
from coalition.campaigns.models import Campaign
from coalition.coalitions.queries import active_members
from coalition.core.audit import record_audit
from coalition.core.i18n import gettext as _
from coalition.core.models import utcnow
from coalition.decisions import counting, notify
from coalition.decisions.eligibility import answer_count, eligible_count
from coalition.decisions.errors import DecisionError
from coalition.decisions.models import (
    AnonymousBallot,
    CollectiveDecision,
    DecisionAnswer,
    DecisionInvitee,
    DecisionKind,
    DecisionOption,
    DecisionStatus,
    Privacy,
)
from coalition.extensions import db
from coalition.meetings.models import Meeting

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


# --- Creating and editing ----------------------------------------------------------------------------------


def local_to_utc(value: datetime, tz_name: str, field: str) -> datetime:
    """A wall-clock datetime in the coalition's zone, as aware UTC."""
    if value.tzinfo is not None:  # already an instant (a form field left as the object's stored value)
        return value.astimezone(UTC)
    zone = zoneinfo.ZoneInfo(tz_name)
    result = value.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if result.astimezone(zone).replace(tzinfo=None) != value.replace(tzinfo=None):
        raise DecisionError(_("That time does not exist in %(zone)s (the clocks jump forward).", zone=tz_name), field)
    return result


#: How a time-poll line may be written (the first is the one the form shows and the label keeps).
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %I:%M %p", "%Y-%m-%d %I:%M%p", "%Y-%m-%d %I%p")


def _read_time(line: str) -> datetime | None:
    for layout in TIME_FORMATS:
        try:
            return datetime.strptime(line.upper() if "%p" in layout else line, layout)
        except ValueError:
            continue
    return None


def parse_options(kind, text: str, tz_name: str) -> list:
    """Options typed one per line; for a time poll, local times ('2026-12-03 18:30', or '... 6:30 pm') in the
    coalition's zone, as (label, UTC start). An error names the line it is about."""
    lines = [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]
    if kind != DecisionKind.TIME_POLL:
        return [line[:200] for line in lines]
    options = []
    for number, line in enumerate(lines, start=1):
        local = _read_time(line)
        if local is None:
            raise DecisionError(
                _(
                    "Line %(n)d (“%(line)s”) is not a date and time: please write it like 2026-12-03 18:30.",
                    n=number,
                    line=line[:40],
                ),
                "options",
            )
        try:
            start = local_to_utc(local, tz_name, "options")
        except DecisionError as error:
            raise DecisionError(_("Line %(n)d: %(why)s", n=number, why=str(error)), "options") from error
        if start <= utcnow():
            raise DecisionError(_("Line %(n)d (“%(line)s”) is in the past.", n=number, line=line[:40]), "options")
        options.append((local.strftime(TIME_FORMATS[0]), start))
    return options


def _check_links(coalition, fields: dict) -> None:
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


def remind_unanswered(decision: CollectiveDecision, user) -> int:
    """An organizer's reminder to those who have not answered (once each, never to those who have)."""
    if not decision.is_accepting:
        raise DecisionError(_("Only a decision that is open for answers can be reminded."))
    queued = notify.remind(decision, manual=True)
    record_audit("decision.remind", actor=user, coalition=decision.coalition, obj=decision, queued=queued)
    return queued
