"""OSDI events (meetings the key may see), their attendances (RSVPs) and the record_attendance_helper."""

from flask import abort, g
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coalition.accounts.models import User
from coalition.api import bp, hal
from coalition.api.keys import audit_api
from coalition.api.people import split_name
from coalition.coalitions.models import Membership, MembershipStatus
from coalition.coalitions.signup import match_people
from coalition.extensions import db
from coalition.meetings import rsvps
from coalition.meetings.models import Meeting, MeetingVisibility, Rsvp, RsvpResponse
from coalition.meetings.services import visible_meetings

#: OSDI attendance status -> RSVP answer.
RESPONSES = {"accepted": RsvpResponse.YES, "tentative": RsvpResponse.MAYBE, "declined": RsvpResponse.NO}
NEEDS = {"guests": int, "children": int, "interpretation_language": str, "access_needs": str, "dietary": str}


def event_json(meeting: Meeting) -> dict:
    """An OSDI event, with the location as organizers see it."""
    path = f"events/{meeting.public_id}"
    return {
        "identifiers": hal.identifiers(meeting),
        "created_date": hal.iso(meeting.created_at),
        "modified_date": hal.iso(meeting.updated_at),
        "title": meeting.title,
        "description": meeting.description,
        "status": "cancelled" if meeting.is_cancelled else "confirmed",
        "start_date": hal.iso(meeting.start_at),
        "end_date": hal.iso(meeting.end_at),
        "timezone_identifier": meeting.timezone,
        "capacity": meeting.capacity,
        "visibility": "public" if meeting.visibility == MeetingVisibility.PUBLIC else "private",
        "location": {"venue": meeting.venue, "address_lines": [meeting.address] if meeting.address else []},
        "total_accepted": meeting.seats_taken,
        "_links": {
            "self": hal.href(path),
            "osdi:attendances": hal.href(f"{path}/attendances"),
            "osdi:record_attendance_helper": hal.href(f"{path}/attendances"),
        },
    }


def attendance_status(rsvp: Rsvp) -> str:
    """accepted (with a place) · needs action (on the waitlist) · tentative · declined."""
    if rsvp.response == RsvpResponse.YES:
        return "needs action" if rsvp.waitlisted else "accepted"
    return "tentative" if rsvp.response == RsvpResponse.MAYBE else "declined"


def attendance_json(rsvp: Rsvp, meeting: Meeting, person_ids: dict[int, str]) -> dict:
    """An OSDI attendance; needs are custom fields (string values)."""
    given, family = split_name(rsvp.name)
    links = {
        "self": hal.href(f"events/{meeting.public_id}/attendances/{rsvp.public_id}"),
        "osdi:event": hal.href(f"events/{meeting.public_id}"),
    }
    if rsvp.user_id in person_ids:
        links["osdi:person"] = hal.href(f"people/{person_ids[rsvp.user_id]}")
    return {
        "identifiers": hal.identifiers(rsvp),
        "created_date": hal.iso(rsvp.created_at),
        "modified_date": hal.iso(rsvp.updated_at),
        "action_date": hal.iso(rsvp.updated_at),
        "status": attendance_status(rsvp),
        "attended": rsvp.attended,
        "comment": "",
        "person": {
            "given_name": given,
            "family_name": family,
            "email_addresses": [{"primary": True, "address": rsvp.email}],
        },
        "custom_fields": {
            "waitlisted": "true" if rsvp.waitlisted else "false",
            "visitor": "false" if rsvp.user_id else "true",
            **{name: str(getattr(rsvp, name)) for name in NEEDS},
        },
        "_links": links,
    }


def person_ids_for(user_ids) -> dict[int, str]:
    """{user id: public id of their membership in the key's coalition}, in one query."""
    ids = [i for i in user_ids if i]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Membership.user_id, Membership.public_id).where(
            Membership.coalition_id == g.coalition.id, Membership.user_id.in_(ids)
        )
    )
    return dict(rows.all())


def meeting_or_404(event_id: str) -> Meeting:
    """A meeting the key may see, by public id, or 404."""
    statement = visible_meetings(g.coalition, g.api_actor).where(Meeting.public_id == hal.public_id(event_id))
    meeting = db.session.scalar(statement)
    if meeting is None:
        abort(404, description="No such event.")
    return meeting


@bp.get("/events")
def list_events():
    """List the meetings the key may see, earliest first."""
    statement = visible_meetings(g.coalition, g.api_actor).order_by(Meeting.start_at, Meeting.id)
    statement = hal.apply_filter(statement, {"modified_date": Meeting.updated_at, "created_date": Meeting.created_at})
    rows, total, page, per_page = hal.paginate(statement)
    return hal.collection("events", "events", [event_json(m) for m in rows], total, page, per_page)


@bp.get("/events/<event_id>")
def show_event(event_id):
    """One event."""
    return hal.hal(event_json(meeting_or_404(event_id)))


@bp.get("/events/<event_id>/attendances")
def list_attendances(event_id):
    """The RSVPs of a meeting (members' and visitors'), with their needs."""
    meeting = meeting_or_404(event_id)
    statement = select(Rsvp).where(Rsvp.meeting_id == meeting.id).options(selectinload(Rsvp.user)).order_by(Rsvp.id)
    statement = hal.apply_filter(statement, {"modified_date": Rsvp.updated_at, "created_date": Rsvp.created_at})
    rows, total, page, per_page = hal.paginate(statement)
    person_ids = person_ids_for(r.user_id for r in rows)
    audit_api("attendances.read", obj=meeting, count=len(rows))
    items = [attendance_json(r, meeting, person_ids) for r in rows]
    return hal.collection("attendances", f"events/{meeting.public_id}/attendances", items, total, page, per_page)


def _needs(body: dict) -> dict:
    fields = hal.typed(body, "custom_fields", dict, {}) or {}
    needs = {}
    for name, kind in NEEDS.items():
        value = fields.get(name)
        if value in (None, ""):
            continue
        if kind is int:
            if not str(value).isdigit() or int(value) > 50:
                abort(422, description=f"'{name}' must be a small whole number.")
            value = int(value)
        needs[name] = str(value)[:300] if kind is str else value
    return needs


@bp.post("/events/<event_id>/attendances")
@bp.post("/events/<event_id>/record_attendance_helper")
def record_attendance(event_id):
    """RSVP on someone's behalf through the same service as the web form: a full meeting puts them on the
    waitlist. A member is matched by email (or `_links.osdi:person`); anyone else answers as a visitor."""
    meeting = meeting_or_404(event_id)
    body = hal.json_body()
    status = hal.typed(body, "status", str, "accepted") or "accepted"
    if status not in RESPONSES:
        abort(422, description="'status' must be accepted, tentative or declined.")
    person = hal.typed(body, "person", dict, {}) or {}
    links = hal.typed(body, "_links", dict, {}) or {}
    linked = hal.id_from_href((hal.typed(links, "osdi:person", dict, {}) or {}).get("href"), "people")
    user = _member_user(linked, person)
    needs = _needs(body)
    if user is not None:
        rsvp = rsvps.rsvp_member(meeting, user, RESPONSES[status], **needs)
    else:
        name = " ".join(filter(None, [hal.typed(person, "given_name", str), hal.typed(person, "family_name", str)]))
        rsvp = rsvps.rsvp_visitor(meeting, name or "", hal.primary_email(person), RESPONSES[status], **needs)
    db.session.flush()
    audit_api("attendance.record", obj=meeting, rsvp=rsvp.public_id)
    return hal.hal(attendance_json(rsvp, meeting, person_ids_for([rsvp.user_id])), 201)


def _member_user(linked_person_id: str | None, person: dict) -> User | None:
    """The member an attendance is for: by link (404 when unknown), else by email (None: a visitor)."""
    if linked_person_id is not None:
        membership = db.session.scalar(
            select(Membership).where(
                Membership.coalition_id == g.coalition.id,
                Membership.public_id == linked_person_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
        if membership is None:
            abort(404, description="No such person.")
        return membership.user
    email = hal.primary_email(person)
    match = next(iter(match_people(g.coalition, [email]).values()))
    return match.membership.user if match.membership is not None else None
