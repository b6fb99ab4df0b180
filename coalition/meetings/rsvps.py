"""RSVPs, capacity and the waitlist.

Places are counted in `meetings.seats_taken` and taken only by one conditional UPDATE
(`seats_taken = seats_taken + n WHERE seats_taken + n <= capacity`), whose row count says whether it fitted.
The database applies it atomically on SQLite and PostgreSQL alike, so concurrent RSVPs can never overfill a
meeting (a CHECK constraint refuses it as a last line of defence). Seats are released the same way, and the
waitlist is promoted, oldest first, in the same transaction.
"""

from flask_babel import gettext as _
from sqlalchemy import case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

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


def promote_waitlist(meeting: Meeting) -> list[Rsvp]:
    """Give freed places to the waitlist, oldest first, telling each promoted person by mail."""
    if meeting.is_cancelled:
        return []
    waiting = db.session.scalars(
        select(Rsvp)
        .where(Rsvp.meeting_id == meeting.id, Rsvp.waitlisted.is_(True))
        .order_by(Rsvp.waitlisted_at, Rsvp.id)
        .limit(PROMOTE_BATCH)
    ).all()
    promoted = []
    for rsvp in waiting:
        # Claim the RSVP first, so two concurrent releases never promote the same person twice.
        claimed = db.session.execute(
            update(Rsvp)
            .where(Rsvp.id == rsvp.id, Rsvp.waitlisted.is_(True))
            .values(waitlisted=False)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            continue
        if not take_seats(meeting, 1 + rsvp.guests):
            db.session.execute(
                update(Rsvp)
                .where(Rsvp.id == rsvp.id)
                .values(waitlisted=True)
                .execution_options(synchronize_session=False)
            )
            break  # strictly oldest first: nobody jumps ahead of a larger party still waiting
        rsvp.waitlisted, rsvp.waitlisted_at, rsvp.seats_held = False, None, 1 + rsvp.guests
        promoted.append(rsvp)
        notify.notify_promoted(meeting, rsvp)
    db.session.flush()
    return promoted


def _check_open(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting was cancelled."))
    if meeting.has_ended:
        raise MeetingError(_("This meeting is over."))


def _apply(meeting: Meeting, rsvp: Rsvp, response: RsvpResponse, needs: dict) -> None:
    """Set an RSVP's answer and needs, taking, releasing or waiting for places as needed."""
    response = RsvpResponse(response)
    guests = needs.get("guests") or 0
    language = needs.get("interpretation_language") or ""
    if language and language not in meeting.interpretation_languages:
        raise MeetingError(_("Please choose one of the languages offered."), "interpretation_language")
    wanted = 1 + guests if response == RsvpResponse.YES else 0
    held = rsvp.seats_held
    if response == RsvpResponse.YES and rsvp.waitlisted:
        pass  # still waiting: keep the place in the queue, update the needs
    elif wanted > held:
        if take_seats(meeting, wanted - held):
            rsvp.seats_held, rsvp.waitlisted, rsvp.waitlisted_at = wanted, False, None
        elif held > 0:
            raise MeetingError(_("There are not enough places left for that many guests."), "guests")
        else:
            rsvp.waitlisted, rsvp.waitlisted_at = True, utcnow()
    elif wanted < held:
        release_seats(meeting, held - wanted)
        rsvp.seats_held = wanted
    if response != RsvpResponse.YES:
        rsvp.waitlisted, rsvp.waitlisted_at = False, None
    rsvp.response = response
    rsvp.guests, rsvp.interpretation_language, rsvp.children = guests, language, needs.get("children") or 0
    rsvp.access_needs, rsvp.dietary = needs.get("access_needs") or "", needs.get("dietary") or ""
    db.session.flush()
    if wanted < held:
        promote_waitlist(meeting)


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
    db.session.delete(rsvp)
    db.session.flush()
    if held:
        release_seats(meeting, held)
        promote_waitlist(meeting)


# --- For organizers -------------------------------------------------------------------------------------------


def needs_summary(meeting: Meeting) -> dict:
    """Counts of answers and the needs of the people coming (a yes with a place), from SQL aggregates."""
    going = (Rsvp.meeting_id == meeting.id) & (Rsvp.response == RsvpResponse.YES) & Rsvp.waitlisted.is_(False)
    state = case((Rsvp.waitlisted.is_(True), "waitlist"), else_=Rsvp.response)
    counts = {"yes": 0, "maybe": 0, "no": 0, "waitlist": 0}
    guests = {key: 0 for key in counts}
    for key, number, extra in db.session.execute(
        select(state, func.count(), func.coalesce(func.sum(Rsvp.guests), 0))
        .where(Rsvp.meeting_id == meeting.id)
        .group_by(state)
    ):
        counts[str(key)], guests[str(key)] = number, extra
    languages = db.session.execute(
        select(Rsvp.interpretation_language, func.count())
        .where(going, Rsvp.interpretation_language != "")
        .group_by(Rsvp.interpretation_language)
        .order_by(func.count().desc(), Rsvp.interpretation_language)
    ).all()
    children = db.session.scalar(select(func.coalesce(func.sum(Rsvp.children), 0)).where(going))
    details = db.session.execute(
        select(Rsvp.access_needs, Rsvp.dietary)
        .where(going, (Rsvp.access_needs != "") | (Rsvp.dietary != ""))
        .order_by(Rsvp.id)
        .limit(500)
    ).all()
    return {
        "counts": counts,
        "guests": guests,
        "coming": counts["yes"] + guests["yes"],
        "interpretation": [(language, number) for language, number in languages],
        "children": children,
        "access_needs": [row.access_needs for row in details if row.access_needs],
        "dietary": [row.dietary for row in details if row.dietary],
    }


def attendees(meeting: Meeting, limit: int | None = None) -> list[Rsvp]:
    """Everyone who answered, yes first, then waitlist, maybe and no; each with their account loaded."""
    order = case(
        (Rsvp.waitlisted.is_(True), 1),
        (Rsvp.response == RsvpResponse.YES, 0),
        (Rsvp.response == RsvpResponse.MAYBE, 2),
        else_=3,
    )
    statement = (
        select(Rsvp)
        .where(Rsvp.meeting_id == meeting.id)
        .options(selectinload(Rsvp.user))
        .order_by(order, Rsvp.waitlisted_at, Rsvp.id)
    )
    if limit:
        statement = statement.limit(limit)
    return list(db.session.scalars(statement))


CSV_HEADER = (
    "Name",
    "Email",
    "Answer",
    "Waitlisted",
    "Guests",
    "Interpretation",
    "Children",
    "Access needs",
    "Dietary",
    "Attended",
    "Account",
)


def attendee_rows(meeting: Meeting):
    """Rows of the attendee CSV (the CSV writer makes each cell spreadsheet-safe)."""
    for rsvp in attendees(meeting):
        yield (
            rsvp.name,
            rsvp.email,
            rsvp.response.value,
            "yes" if rsvp.waitlisted else "no",
            rsvp.guests,
            rsvp.interpretation_language,
            rsvp.children,
            rsvp.access_needs,
            rsvp.dietary,
            "yes" if rsvp.attended else "no",
            "member" if rsvp.user_id else "visitor",
        )
