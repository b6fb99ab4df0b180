"""After a meeting: check-in (with walk-ins), decisions, minutes, action items and feedback."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from coalition.accounts.models import User
from coalition.coalitions.models import Coalition
from coalition.core.audit import record_audit
from coalition.core.i18n import gettext as _
from coalition.core.permissions import membership_for
from coalition.extensions import db
from coalition.meetings.errors import MeetingError
from coalition.meetings.models import ActionItem, ActionStatus, Decision, Feedback, FeedbackGiven, Meeting, Rsvp, WalkIn


def set_attended(rsvp: Rsvp, attended: bool) -> None:
    """Mark whether the person behind an RSVP came."""
    rsvp.attended = attended
    db.session.flush()


def add_walk_in(meeting: Meeting, name: str) -> WalkIn:
    """Record someone who came without an RSVP (no account needed)."""
    walk_in = WalkIn(coalition_id=meeting.coalition_id, meeting_id=meeting.id, name=name)
    db.session.add(walk_in)
    db.session.flush()
    return walk_in


def remove_walk_in(walk_in: WalkIn) -> None:
    """Remove a walk-in added by mistake."""
    db.session.delete(walk_in)
    db.session.flush()


def attendance_count(meeting: Meeting) -> int:
    """People checked in: RSVPs marked attended plus walk-ins, kept up to date by `meetings.tallies` (no query)."""
    return meeting.checked_in


def save_minutes(meeting: Meeting, minutes: str, by) -> None:
    """Save the meeting's minutes (Markdown)."""
    meeting.minutes = minutes or ""
    db.session.flush()
    record_audit("meeting.minutes", actor=by, coalition=meeting.coalition, obj=meeting)


def add_decision(meeting: Meeting, text: str) -> Decision:
    """Add a decision at the end of the meeting's list."""
    position = max((d.position for d in meeting.decisions), default=0) + 1
    decision = Decision(coalition_id=meeting.coalition_id, meeting=meeting, position=position, text=text)
    db.session.add(decision)
    db.session.flush()
    return decision


def delete_decision(decision: Decision) -> None:
    """Remove a decision."""
    db.session.delete(decision)
    db.session.flush()


def _check_owner(coalition_id: int, owner_id: int | None) -> None:
    if owner_id is None:
        return
    owner = db.session.get(User, owner_id)
    if owner is None or membership_for(owner, coalition_id) is None:
        raise MeetingError(_("Please choose a member of the coalition."), "owner_id")


def save_action_item(meeting: Meeting, item: ActionItem | None, by, *, title, owner_id, due_on, status) -> ActionItem:
    """Add an action item to a meeting, or edit one; the owner must be a member of the coalition."""
    owner_id = owner_id or None
    _check_owner(item.coalition_id if meeting is None else meeting.coalition_id, owner_id)
    if item is None:
        item = ActionItem(coalition_id=meeting.coalition_id, meeting_id=meeting.id)
        db.session.add(item)
    item.title, item.owner_id, item.due_on, item.status = title, owner_id, due_on, ActionStatus(status)
    db.session.flush()
    record_audit(
        "action_item.save", actor=by, coalition=item.coalition_id and _coalition(item), obj=item, owner_id=owner_id
    )
    return item


def _coalition(item: ActionItem):
    return db.session.get(Coalition, item.coalition_id)


def meeting_action_items(meeting: Meeting, limit: int = 500) -> list[ActionItem]:
    """The meeting's action items with their owners, oldest first."""
    return list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.meeting_id == meeting.id)
            .options(selectinload(ActionItem.owner))
            .order_by(ActionItem.id)
            .limit(limit)
        )
    )


def set_action_status(item: ActionItem, status: str) -> None:
    """Mark an action item open or done."""
    item.status = ActionStatus(status)
    db.session.flush()


def delete_action_item(item: ActionItem) -> None:
    """Delete an action item."""
    db.session.delete(item)
    db.session.flush()


# --- Feedback ------------------------------------------------------------------------------------------------


def has_given_feedback(meeting: Meeting, user) -> bool:
    """Did this person already give feedback on the meeting?"""
    return (
        db.session.scalar(
            select(FeedbackGiven.id).where(FeedbackGiven.meeting_id == meeting.id, FeedbackGiven.user_id == user.id)
        )
        is not None
    )


def give_feedback(meeting: Meeting, user, *, rating: int, worked: str, change: str, anonymous: bool) -> Feedback:
    """Record feedback once per person; anonymous feedback stores nothing that links it to them."""
    if not 1 <= int(rating) <= 5:
        raise MeetingError(_("Please choose a rating from 1 to 5."), "rating")
    try:
        with db.session.begin_nested():
            db.session.add(FeedbackGiven(coalition_id=meeting.coalition_id, meeting_id=meeting.id, user_id=user.id))
    except IntegrityError as error:
        raise MeetingError(_("You already gave feedback on this meeting. Thank you!")) from error
    feedback = Feedback(
        coalition_id=meeting.coalition_id,
        meeting_id=meeting.id,
        user_id=None if anonymous else user.id,
        rating=int(rating),
        worked=worked or "",
        change=change or "",
    )
    db.session.add(feedback)
    db.session.flush()
    return feedback


def feedback_results(meeting: Meeting, limit: int = 500) -> dict:
    """All feedback together: how many, the average, the count per rating, and the comments."""
    ratings = dict(
        db.session.execute(
            select(Feedback.rating, func.count()).where(Feedback.meeting_id == meeting.id).group_by(Feedback.rating)
        ).all()
    )
    total = sum(ratings.values())
    average = sum(r * n for r, n in ratings.items()) / total if total else None
    comments = db.session.scalars(
        select(Feedback)
        .where(Feedback.meeting_id == meeting.id, (Feedback.worked != "") | (Feedback.change != ""))
        .options(selectinload(Feedback.user))
        .order_by(Feedback.id)
        .limit(limit)
    ).all()
    return {
        "total": total,
        "average": average,
        "counts": [(rating, ratings.get(rating, 0)) for rating in range(5, 0, -1)],
        "comments": comments,
    }
