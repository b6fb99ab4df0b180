"""The outreach log: calls, letters, meetings and delivered packets, with follow-ups and the stance they changed."""

from datetime import date, datetime

from sqlalchemy import and_, exists, not_, or_, select, update
from sqlalchemy.orm import aliased, joinedload

from coalition.accounts.models import User
from coalition.coalitions.queries import active_members
from coalition.core.audit import record_audit
from coalition.core.i18n import gettext as _
from coalition.core.signals import outreach_logged
from coalition.extensions import db
from coalition.stakeholders.models import Channel, Outreach, OutreachParticipant, Response, Stance
from coalition.stakeholders.services import (
    StakeholderError,
    campaign_of,
    change_stance,
    check_owner,
    coalition_of,
    target_for,
)

OUTREACH_FIELDS = ("occurred_at", "channel", "summary", "outcome", "response", "follow_up_on")


def _members_by_id(coalition_id: int, user_ids) -> list[User]:
    ids = {int(i) for i in user_ids or [] if i}
    if not ids:
        return []
    users = list(db.session.scalars(active_members(coalition_id).where(User.id.in_(ids))))
    if len(users) != len(ids):
        raise StakeholderError(_("Participants must be members of the coalition."), "participants")
    return users


def _participant_rows(outreach: Outreach, users: list[User]) -> list[OutreachParticipant]:
    """The outreach's rows for `users`: those already there kept, new ones in the outreach's coalition."""
    kept = {row.user_id: row for row in outreach.participant_rows}
    return [
        kept.get(user.id) or OutreachParticipant(coalition_id=outreach.coalition_id, user_id=user.id) for user in users
    ]


def _apply_outreach(
    outreach,
    *,
    occurred_at: datetime,
    channel,
    summary,
    outcome,
    response,
    follow_up_on: date | None,
    follow_up_owner,
    participant_ids,
) -> None:
    if occurred_at.tzinfo is None:
        raise StakeholderError(_("Please give the date and time of the outreach."), "occurred_at")
    if follow_up_owner is not None and follow_up_on is None:
        raise StakeholderError(_("Please give a follow-up date for the follow-up owner."), "follow_up_on")
    check_owner(coalition_of(outreach), follow_up_owner, "follow_up_owner_id")
    outreach.occurred_at = occurred_at
    outreach.channel = Channel(channel)
    outreach.summary = summary or ""
    outreach.outcome = outcome or ""
    outreach.response = Response(response)
    outreach.follow_up_on = follow_up_on
    outreach.follow_up_owner_id = follow_up_owner.id if follow_up_owner else None
    outreach.participant_rows = _participant_rows(outreach, _members_by_id(outreach.coalition_id, participant_ids))


def mark_latest(*, stakeholder_id: int | None = None, coalition_id: int | None = None) -> None:
    """Set `is_latest` on the latest outreach of a stakeholder (or of every stakeholder of a coalition) and clear it
    on the others; rows already right are not written."""
    later = aliased(Outreach)
    latest = not_(
        exists().where(
            later.stakeholder_id == Outreach.stakeholder_id,
            or_(
                later.occurred_at > Outreach.occurred_at,
                and_(later.occurred_at == Outreach.occurred_at, later.id > Outreach.id),
            ),
        )
    )
    statement = update(Outreach).where(Outreach.is_latest != latest)
    if stakeholder_id is not None:
        statement = statement.where(Outreach.stakeholder_id == stakeholder_id)
    if coalition_id is not None:
        statement = statement.where(Outreach.coalition_id == coalition_id)
    db.session.execute(statement.values(is_latest=latest), execution_options={"synchronize_session": False})


def log_outreach(stakeholder, by, *, campaign_id=None, new_stance=None, meeting_id=None, **fields) -> Outreach:
    """Log an outreach; with a campaign and a new stance, the target's stance changes because of it."""
    campaign = campaign_of(coalition_of(stakeholder), campaign_id) if campaign_id else None
    target = target_for(stakeholder.id, campaign.id) if campaign else None
    if new_stance and target is None:
        raise StakeholderError(_("To record a new stance, choose a campaign in which this stakeholder is a target."))
    outreach = Outreach(
        coalition_id=stakeholder.coalition_id,
        stakeholder_id=stakeholder.id,
        campaign_id=campaign.id if campaign else None,
        logged_by_id=by.id if by else None,
    )
    if meeting_id:
        outreach.meeting_id = meeting_id
    _apply_outreach(outreach, **fields)
    db.session.add(outreach)
    db.session.flush()
    mark_latest(stakeholder_id=stakeholder.id)
    db.session.expire(outreach, ["is_latest"])
    if new_stance:
        change_stance(target, Stance(new_stance), by, outreach=outreach)
    outreach_logged.send(outreach.coalition_id, outreach=outreach)
    record_audit("outreach.log", actor=by, coalition=coalition_of(stakeholder), obj=outreach)
    return outreach


def update_outreach(outreach, by, **fields) -> Outreach:
    """Edit an outreach entry (its campaign and the stance it caused stay as they were)."""
    _apply_outreach(outreach, **fields)
    db.session.flush()
    mark_latest(stakeholder_id=outreach.stakeholder_id)
    db.session.expire(outreach, ["participants", "is_latest"])  # read-only; reload it from the rows just written
    return outreach


def complete_follow_up(outreach, by) -> None:
    """Mark an outreach's follow-up as done."""
    if outreach.follow_up_on is None:
        raise StakeholderError(_("This outreach has no follow-up."))
    outreach.follow_up_done = True
    db.session.flush()


def delete_outreach(outreach, by) -> None:
    """Delete an outreach entry; stance changes it caused stay in the history, without the link."""
    record_audit("outreach.delete", actor=by, coalition=coalition_of(outreach), obj=outreach)
    db.session.delete(outreach)
    db.session.flush()
    mark_latest(stakeholder_id=outreach.stakeholder_id)


def outreach_of_meeting(meeting) -> list[Outreach]:
    """The outreach entries logged for a meeting (the Meetings side shows them), oldest first, stakeholders loaded."""
    return list(
        db.session.scalars(
            select(Outreach)
            .where(Outreach.coalition_id == meeting.coalition_id, Outreach.meeting_id == meeting.id)
            .options(joinedload(Outreach.stakeholder))
            .order_by(Outreach.occurred_at, Outreach.id)
        )
    )
