"""After the close: the outcome statement (mailed to everyone eligible), action items created from it, and a time
poll's meeting, scheduled by the meetings domain from the chosen time with the people who said yes invited.
"""

import zoneinfo
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coalition.accounts.models import User
from coalition.core.audit import record_audit
from coalition.core.i18n import gettext as _
from coalition.core.models import utcnow
from coalition.core.permissions import membership_for
from coalition.decisions import notify, services
from coalition.decisions.errors import DecisionError
from coalition.decisions.models import (
    Availability,
    CollectiveDecision,
    DecisionActionItem,
    DecisionAnswer,
    DecisionKind,
    DecisionStatus,
)
from coalition.extensions import db
from coalition.meetings import services as meeting_services
from coalition.meetings.models import ActionItem, ActionStatus, MeetingKind, MeetingVisibility


def _check_closed(decision: CollectiveDecision) -> None:
    if decision.status != DecisionStatus.CLOSED:
        raise DecisionError(_("Close the decision first."))


def write_outcome(decision: CollectiveDecision, user, text: str) -> int:
    """Save the outcome statement and mail it to everyone eligible (once); returns how many mails were queued."""
    _check_closed(decision)
    if not (text or "").strip():
        raise DecisionError(_("Please say what was decided and what happens next."), "outcome")
    decision.outcome, decision.outcome_at = text.strip(), utcnow()
    db.session.flush()
    record_audit("decision.outcome", actor=user, coalition=decision.coalition, obj=decision)
    return notify.notify_outcome(decision)


def add_action_item(decision: CollectiveDecision, by, *, title: str, owner_id: int | None, due_on) -> ActionItem:
    """Create an action item from the outcome (the meetings domain's action items: it shows on its owner's
    dashboard); it belongs to the decision's meeting when it has one."""
    _check_closed(decision)
    if owner_id:
        owner = db.session.get(User, owner_id)
        if owner is None or membership_for(owner, decision.coalition_id) is None:
            raise DecisionError(_("Please choose a member of the coalition."), "owner_id")
    item = ActionItem(
        coalition_id=decision.coalition_id,
        meeting_id=decision.meeting_id,
        title=title,
        owner_id=owner_id or None,
        due_on=due_on,
        status=ActionStatus.OPEN,
    )
    db.session.add(item)
    db.session.flush()
    db.session.add(
        DecisionActionItem(coalition_id=decision.coalition_id, decision_id=decision.id, action_item_id=item.id)
    )
    db.session.flush()
    record_audit("decision.action_item", actor=by, coalition=decision.coalition, obj=decision, item_id=item.id)
    return item


def action_items(decision: CollectiveDecision) -> list[ActionItem]:
    """The action items created from the decision, with their owners."""
    return list(
        db.session.scalars(
            select(ActionItem)
            .join(DecisionActionItem, DecisionActionItem.action_item_id == ActionItem.id)
            .where(DecisionActionItem.decision_id == decision.id)
            .options(selectinload(ActionItem.owner))
            .order_by(ActionItem.id)
        )
    )


def said_yes(decision: CollectiveDecision, option_id: int) -> list[int]:
    """Ids of the people who answered yes for one time of a time poll."""
    rows = db.session.execute(
        select(DecisionAnswer.user_id, DecisionAnswer.choice).where(DecisionAnswer.decision_id == decision.id)
    ).all()
    return [user_id for user_id, choice in rows if (choice.get("times") or {}).get(str(option_id)) == Availability.YES]


def schedule_meeting(
    decision: CollectiveDecision,
    user,
    option_id: int,
    *,
    venue: str = "",
    kind: str = MeetingKind.SMALL_GATHERING.value,
):
    """Close the time poll (if still open) and have the meetings domain schedule the meeting at the chosen time,
    invite-only, inviting everyone who said yes to that time."""
    if decision.kind != DecisionKind.TIME_POLL:
        raise DecisionError(_("Only a time poll can schedule a meeting."))
    if decision.scheduled_meeting_id is not None:
        raise DecisionError(_("The meeting was already scheduled."))
    option = next((o for o in decision.options if o.id == option_id), None)
    if option is None or option.starts_at is None:
        raise DecisionError(_("Please choose one of the proposed times."), "option_id")
    if decision.status == DecisionStatus.OPEN:
        services.close_decision(decision, user)
    _check_closed(decision)
    zone_name = decision.coalition.timezone or "UTC"
    zone = zoneinfo.ZoneInfo(zone_name)
    start = option.starts_at.astimezone(zone)
    end = start + timedelta(minutes=decision.duration_minutes or 60)
    meeting = meeting_services.schedule_meeting(
        decision.coalition,
        user,
        start_date=start.date(),
        start_time=start.time(),
        end_date=end.date(),
        end_time=end.time(),
        kind=kind,
        title=decision.title,
        description=decision.body,
        campaign_id=decision.campaign_id,
        timezone=zone_name,
        venue=venue,
        address="",
        access_notes="",
        online_url="",
        capacity=None,
        visibility=MeetingVisibility.INVITE_ONLY.value,
        languages="",
        interpretation="",
        childcare=False,
        food="",
    )
    for person_id in said_yes(decision, option.id):
        meeting_services.invite_member(meeting, person_id, user)
    decision.scheduled_meeting_id = meeting.id
    db.session.flush()
    record_audit(
        "decision.schedule_meeting", actor=user, coalition=decision.coalition, obj=decision, meeting_id=meeting.id
    )
    return meeting
