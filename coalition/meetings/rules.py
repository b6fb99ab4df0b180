"""Object-level rules for meetings: who sees an invite-only meeting, who may RSVP, who gives feedback."""

from flask import g, has_request_context
from sqlalchemy import select

from coalition.core.permissions import can, role_allows
from coalition.extensions import db
from coalition.meetings.models import Meeting, MeetingInvite, MeetingVisibility, Rsvp, RsvpResponse


def _cached(key, compute):
    """Memoise a per-request lookup (templates may ask the same question several times)."""
    if not has_request_context():
        return compute()
    cache = g.setdefault("_meeting_rules", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def is_invited(meeting: Meeting, user) -> bool:
    """Was `user` invited to this (invite-only) meeting?"""
    return _cached(
        ("invited", meeting.id, user.id),
        lambda: (
            db.session.scalar(
                select(MeetingInvite.id).where(MeetingInvite.meeting_id == meeting.id, MeetingInvite.user_id == user.id)
            )
            is not None
        ),
    )


def rsvp_of(meeting: Meeting, user) -> Rsvp | None:
    """The member's RSVP to a meeting, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return _cached(
        ("rsvp", meeting.id, user.id),
        lambda: db.session.scalar(select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id)),
    )


def remember_rsvp(meeting: Meeting, user, rsvp: Rsvp | None) -> None:
    """Note the member's RSVP to a meeting (None: no answer), read with the meeting: `rsvp_of` then needs no query."""
    if has_request_context():
        g.setdefault("_meeting_rules", {})[("rsvp", meeting.id, user.id)] = rsvp


def may_view(user, membership, obj) -> bool:
    """Invite-only meetings are seen by their invitees and by those who manage meetings."""
    if not isinstance(obj, Meeting) or obj.visibility != MeetingVisibility.INVITE_ONLY:
        return True
    return role_allows(membership.role, "meeting.manage") or is_invited(obj, user)


def may_rsvp(user, membership, obj) -> bool:
    """Answer only meetings you can see that are neither cancelled nor over."""
    if not isinstance(obj, Meeting):
        return True
    return may_view(user, membership, obj) and not obj.is_cancelled and not obj.has_ended


def may_give_feedback(user, membership, obj) -> bool:
    """Feedback comes from attendees (a yes RSVP or checked in) once the meeting has started."""
    if not isinstance(obj, Meeting):
        return True
    if not may_view(user, membership, obj) or obj.is_cancelled or not obj.has_started:
        return False
    rsvp = rsvp_of(obj, user)
    return rsvp is not None and (rsvp.attended or rsvp.response == RsvpResponse.YES)


def sees_details(meeting: Meeting, user, rsvp: Rsvp | None) -> bool:
    """The exact address, access notes and online link: for people with a place (yes) and organizers."""
    if rsvp is not None and rsvp.is_going:
        return True
    return user is not None and getattr(user, "is_authenticated", False) and can("meeting.manage", meeting, user)


#: action -> rule, registered with core.permissions by the package's register(app).
OBJECT_RULES = {
    "meeting.view": may_view,
    "meeting.rsvp": may_rsvp,
    "meeting.feedback": may_give_feedback,
}
