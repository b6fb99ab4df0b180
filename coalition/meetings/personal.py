"""Meetings' part of the dashboard, of "export my data" and of "delete my account"."""

from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from coalition.core.forms import ActionForm
from coalition.core.models import utcnow
from coalition.core.plans import planned_for_its_values
from coalition.extensions import db
from coalition.meetings.models import ActionItem, ActionStatus, Feedback, Meeting, Rsvp, RsvpResponse
from coalition.meetings.rsvps import delete_rsvp

PANEL_LIMIT = 5


def meetings_panel(coalition, user):
    """My next meetings (yes or maybe) with my answer, and my open action items (two queries, of columns only)."""
    mine = {"coalition_id": coalition.id, "user_id": user.id}
    return {
        "upcoming_meetings": db.session.execute(_upcoming_statement(), {**mine, "now": utcnow()}).all(),
        "open_action_items": db.session.execute(_actions_statement(), mine).all(),
        "action_form": ActionForm(),
    }


@cache
def _upcoming_statement():
    """Built once (every dashboard asks): the meetings of :coalition_id not over at :now that :user_id said yes or
    maybe to, soonest first, with the answer. Planned for its values (a generic plan walked every meeting by date)."""
    return planned_for_its_values(
        select(Meeting.id, Meeting.title, Meeting.start_at, Rsvp.response, Rsvp.waitlisted)
        .join(Rsvp, Rsvp.meeting_id == Meeting.id)
        .where(
            Meeting.coalition_id == bindparam("coalition_id"),
            Rsvp.user_id == bindparam("user_id"),
            Rsvp.response.in_([RsvpResponse.YES, RsvpResponse.MAYBE]),
            Meeting.end_at > bindparam("now"),
        )
        .order_by(Meeting.start_at)
        .limit(PANEL_LIMIT)
    )


@cache
def _actions_statement():
    """Built once: the open action items of :user_id in :coalition_id, with their meeting's title, soonest due
    first (those with no date last)."""
    return (
        select(ActionItem.id, ActionItem.title, ActionItem.due_on, Meeting.title.label("meeting_title"))
        .outerjoin(Meeting, Meeting.id == ActionItem.meeting_id)
        .where(
            ActionItem.coalition_id == bindparam("coalition_id"),
            ActionItem.owner_id == bindparam("user_id"),
            ActionItem.status == ActionStatus.OPEN,
        )
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
        .limit(PANEL_LIMIT)
    )


def _iso(value):
    return value.isoformat() if value else None


def export_meetings(user) -> dict:
    """My RSVPs with needs, my (non-anonymous) feedback, and the action items I own."""
    rsvps = db.session.scalars(select(Rsvp).where(Rsvp.user_id == user.id).options(joinedload(Rsvp.meeting)))
    feedback = db.session.scalars(select(Feedback).where(Feedback.user_id == user.id))
    items = db.session.scalars(select(ActionItem).where(ActionItem.owner_id == user.id))
    return {
        "rsvps": [
            {
                "meeting": r.meeting.title,
                "starts_at": _iso(r.meeting.start_at),
                "response": r.response.value,
                "waitlisted": r.waitlisted,
                "guests": r.guests,
                "interpretation_language": r.interpretation_language,
                "children": r.children,
                "access_needs": r.access_needs,
                "dietary": r.dietary,
                "attended": r.attended,
            }
            for r in rsvps
        ],
        "feedback": [
            {"meeting_id": f.meeting_id, "rating": f.rating, "what_worked": f.worked, "what_to_change": f.change}
            for f in feedback
        ],
        "action_items": [
            {"title": a.title, "due_on": _iso(a.due_on), "status": a.status.value, "meeting_id": a.meeting_id}
            for a in items
        ],
    }


def erase_meetings(user, keep_stories_anonymised: bool) -> None:
    """Delete my RSVPs (their places go to the waitlist) and my named feedback; unassign my action items."""
    for rsvp in db.session.scalars(select(Rsvp).where(Rsvp.user_id == user.id).options(joinedload(Rsvp.meeting))).all():
        delete_rsvp(rsvp)
    for feedback in db.session.scalars(select(Feedback).where(Feedback.user_id == user.id)).all():
        db.session.delete(feedback)
    for item in db.session.scalars(select(ActionItem).where(ActionItem.owner_id == user.id)).all():
        item.owner_id = None
    db.session.flush()
