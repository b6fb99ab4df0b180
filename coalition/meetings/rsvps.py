"""RSVPs, capacity and the waitlist.

Places are counted in `meetings.seats_taken` and taken only by one conditional UPDATE
(`seats_taken = seats_taken + n WHERE seats_taken + n <= capacity`), whose row count says whether it fitted.
The database applies it atomically on SQLite and PostgreSQL alike, so concurrent RSVPs can never overfill a
meeting (a CHECK constraint refuses it as a last line of defence). Seats are released the same way, and the
waitlist is served in the same transaction: each free place goes to the oldest waiting answer that fits, and a
newcomer waits behind everyone already waiting. A party larger than the whole meeting is refused up front.
"""

from flask_babel import ngettext
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from coalition.core.i18n import gettext as _
from coalition.core.models import utcnow
from coalition.core.signals import rsvp_changed
from coalition.core.text import normalize_email
from coalition.core.tokens import hash_token, new_token
from coalition.extensions import db
from coalition.meetings import notify
from coalition.meetings.errors import MeetingError
from coalition.meetings.models import Meeting, MeetingVisibility, Rsvp, RsvpResponse

NEEDS_FIELDS = ("guests", "interpretation_language", "children", "access_needs", "dietary")
#: How many waitlisted RSVPs one release looks at (a release frees a bounded number of places anyway).
PROMOTE_BATCH = 50


def take_seats(meeting: Meeting, count: int) -> bool:
    """Atomically take `count` places if they fit; False when the meeting is too full."""
    if count <= 0:
        return True
    result = db.session.execute(
        update(Meeting)
        .where(
            Meeting.id == meeting.id, or_(Meeting.capacity.is_(None), Meeting.seats_taken + count <= Meeting.capacity)
        )
        .values(seats_taken=Meeting.seats_taken + count)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(meeting, ["seats_taken"])
    return result.rowcount == 1


def lock_places(meeting: Meeting) -> None:
    """Lock the meeting's row until the transaction ends, so changes to its places and waitlist run one at a time.

    Every change of places takes this lock first: the waitlist is then served from what other requests committed,
    and two requests never wait for each other's RSVP rows in opposite order (a deadlock on PostgreSQL).
    """
    db.session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id)
        .values(seats_taken=Meeting.seats_taken)
        .execution_options(synchronize_session=False)
    )


def release_seats(meeting: Meeting, count: int) -> None:
    """Atomically give back `count` places."""
    if count <= 0:
        return
    db.session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id)
        .values(seats_taken=Meeting.seats_taken - count)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(meeting, ["seats_taken"])


def promote_waitlist(meeting: Meeting, answering: Rsvp | None = None) -> list[Rsvp]:
    """Give free places to the waitlist: each to the oldest waiting answer that fits, telling them by mail.

    A party too large for the places left does not block smaller ones behind it; it keeps its turn for when
    enough places free up. `answering` is the RSVP being answered right now: it is promoted like anyone else
    in its turn, but sees the result on the page instead of by mail.
    """
    if meeting.is_cancelled:
        return []
    db.session.refresh(meeting, ["capacity", "seats_taken"])
    free = None if meeting.capacity is None else meeting.capacity - meeting.seats_taken
    if free is not None and free <= 0:
        return []
    statement = select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.waitlisted.is_(True))
    if free is not None:
        statement = statement.where(Rsvp.guests + 1 <= free)
    waiting = db.session.scalars(statement.order_by(Rsvp.waitlisted_at, Rsvp.id).limit(PROMOTE_BATCH)).all()
    promoted = []
    for rsvp in waiting:
        party = 1 + rsvp.guests
        if free is not None and party > free:
            continue  # a smaller party behind may still fit
        if not _claim_place(meeting, rsvp, party):
            continue
        if free is not None:
            free -= party
        promoted.append(rsvp)
        if rsvp is not answering:
            notify.notify_promoted(meeting, rsvp)
        if free == 0:
            break
    db.session.flush()
    return promoted


def _claim_place(meeting: Meeting, rsvp: Rsvp, party: int) -> bool:
    """Move one waiting RSVP to a place, atomically; False if another request took it or the place first."""
    # Claim the RSVP first, so two concurrent releases never promote the same person twice.
    claimed = db.session.execute(
        update(Rsvp)
        .where(Rsvp.id == rsvp.id, Rsvp.waitlisted.is_(True))
        .values(waitlisted=False)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    if not take_seats(meeting, party):
        db.session.execute(
            update(Rsvp).where(Rsvp.id == rsvp.id).values(waitlisted=True).execution_options(synchronize_session=False)
        )
        return False
    rsvp.waitlisted, rsvp.waitlisted_at, rsvp.seats_held = False, None, party
    return True


def _check_open(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting was cancelled."))
    if meeting.has_ended:
        raise MeetingError(_("This meeting is over."))


def _check_party(meeting: Meeting, response: RsvpResponse, guests: int) -> None:
    """Refuse a yes whose party can never fit in the meeting, whatever frees up."""
    capacity = meeting.capacity
    if response != RsvpResponse.YES or capacity is None or 1 + guests <= capacity:
        return
    if capacity <= 1:
        raise MeetingError(_("This meeting has room for one person only, so there is no room for guests."), "guests")
    raise MeetingError(
        ngettext(
            "This meeting has room for %(capacity)d people in all: you can bring at most %(num)d guest.",
            "This meeting has room for %(capacity)d people in all: you can bring at most %(num)d guests.",
            capacity - 1,
            capacity=capacity,
        ),
        "guests",
    )


def _apply(meeting: Meeting, rsvp: Rsvp, response: RsvpResponse, needs: dict) -> None:
    """Set an RSVP's answer and needs, taking, releasing or waiting for places as needed.

    A yes without a place joins the end of the waitlist, then the waitlist is served in its order: so a newcomer
    gets a place only when nobody waiting before them fits in it.
    """
    response = RsvpResponse(response)
    guests = needs.get("guests") or 0
    language = needs.get("interpretation_language") or ""
    if language and language not in meeting.interpretation_languages:
        raise MeetingError(_("Please choose one of the languages offered."), "interpretation_language")
    _check_party(meeting, response, guests)
    lock_places(meeting)
    wanted = 1 + guests if response == RsvpResponse.YES else 0
    held = rsvp.seats_held
    if held and wanted > held:
        if not take_seats(meeting, wanted - held):
            raise MeetingError(_("There are not enough places left for that many guests."), "guests")
        rsvp.seats_held = wanted
    elif wanted < held:
        release_seats(meeting, held - wanted)
        rsvp.seats_held = wanted
    if wanted and not held and not rsvp.waitlisted:
        rsvp.waitlisted, rsvp.waitlisted_at = True, utcnow()
    if response != RsvpResponse.YES:
        rsvp.waitlisted, rsvp.waitlisted_at = False, None
    rsvp.response = response
    rsvp.guests, rsvp.interpretation_language, rsvp.children = guests, language, needs.get("children") or 0
    rsvp.access_needs, rsvp.dietary = needs.get("access_needs") or "", needs.get("dietary") or ""
    db.session.flush()
    if rsvp.waitlisted or wanted < held:
        promote_waitlist(meeting, answering=rsvp)


def _state(rsvp: Rsvp) -> tuple:
    return (rsvp.response, rsvp.waitlisted)


def rsvp_member(meeting: Meeting, user, response, **needs) -> Rsvp:
    """A member answers yes, maybe or no (one click), with optional needs; confirmation mail on a change."""
    _check_open(meeting)
    find = select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id)
    rsvp, before = db.session.scalar(find), None
    if rsvp is None:
        rsvp = Rsvp(
            coalition_id=meeting.coalition_id,
            meeting_id=meeting.id,
            user_id=user.id,
            response=RsvpResponse.NO,
            seats_held=0,
            waitlisted=False,
        )
        try:
            with db.session.begin_nested():
                db.session.add(rsvp)
        except IntegrityError:  # the same person answered twice at once; use the row that won
            rsvp = db.session.scalar(find)
            before = _state(rsvp)
    else:
        before = _state(rsvp)
    _apply(meeting, rsvp, response, needs)
    if _state(rsvp) != before:
        rsvp_changed.send(meeting.coalition_id, rsvp=rsvp, created=before is None)
        notify.send_confirmation(meeting, rsvp)
    return rsvp


def rsvp_visitor(meeting: Meeting, name: str, email: str, response, **needs) -> Rsvp:
    """A visitor answers a public meeting; they get a private link by mail to change or cancel.

    If this email already answered, the RSVP is left alone and a fresh private link is mailed to that address
    (so the page says the same whether or not the address was known).
    """
    if meeting.visibility != MeetingVisibility.PUBLIC:
        raise MeetingError(_("This meeting is not open to the public."))
    _check_open(meeting)
    email = normalize_email(email)
    raw, token_hash = new_token()
    rsvp = db.session.scalar(select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.visitor_email == email))
    if rsvp is not None:
        rsvp.token_hash = token_hash
        db.session.flush()
        notify.send_visitor_link(meeting, rsvp, raw)
        return rsvp
    rsvp = Rsvp(
        coalition_id=meeting.coalition_id,
        meeting_id=meeting.id,
        visitor_name=name,
        visitor_email=email,
        token_hash=token_hash,
        seats_held=0,
        waitlisted=False,
    )
    db.session.add(rsvp)
    _apply(meeting, rsvp, response, needs)
    rsvp_changed.send(meeting.coalition_id, rsvp=rsvp, created=True)
    notify.send_confirmation(meeting, rsvp, raw_token=raw)
    return rsvp


def find_visitor_rsvp(meeting: Meeting, raw: str) -> Rsvp | None:
    """The visitor RSVP behind a private link, or None."""
    if not raw or len(raw) > 100:
        return None
    return db.session.scalar(
        select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.token_hash == hash_token(raw), Rsvp.user_id.is_(None))
    )


def change_visitor_rsvp(meeting: Meeting, rsvp: Rsvp, response, **needs) -> Rsvp:
    """A visitor changes their answer through their private link."""
    _check_open(meeting)
    before = _state(rsvp)
    _apply(meeting, rsvp, response, needs)
    if _state(rsvp) != before:
        rsvp_changed.send(meeting.coalition_id, rsvp=rsvp, created=False)
        notify.send_confirmation(meeting, rsvp)
    return rsvp


def delete_rsvp(rsvp: Rsvp) -> None:
    """Remove an RSVP altogether (account deletion), releasing its places to the waitlist."""
    meeting = rsvp.meeting
    held = rsvp.seats_held
    lock_places(meeting)
    db.session.delete(rsvp)
    db.session.flush()
    if held:
        release_seats(meeting, held)
        promote_waitlist(meeting)
