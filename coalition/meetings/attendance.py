"""What organizers see of the people coming: the needs summary, the attendee list and its CSV."""

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from coalition.accounts.models import User
from coalition.extensions import db
from coalition.meetings.models import Meeting, Rsvp, RsvpResponse


def needs_summary(meeting: Meeting) -> dict:
    """Counts of answers and the needs of the people coming (a yes with a place), from SQL aggregates.

    The needs of people who answered maybe are counted apart (`maybe`), so organizers can plan for them too.
    """
    going = (Rsvp.response == RsvpResponse.YES) & Rsvp.waitlisted.is_(False)
    maybe = Rsvp.response == RsvpResponse.MAYBE
    state = case((Rsvp.waitlisted.is_(True), "waitlist"), else_=Rsvp.response)
    counts = {"yes": 0, "maybe": 0, "no": 0, "waitlist": 0}
    guests, children, access, dietary = ({key: 0 for key in counts} for _ in range(4))
    for key, number, extra, kids, needs_access, needs_diet in db.session.execute(
        select(
            state,
            func.count(),
            func.coalesce(func.sum(Rsvp.guests), 0),
            func.coalesce(func.sum(Rsvp.children), 0),
            func.count(case((Rsvp.access_needs != "", 1))),
            func.count(case((Rsvp.dietary != "", 1))),
        )
        .where(Rsvp.meeting_id == meeting.id)
        .group_by(state)
    ):
        key = str(key)
        counts[key], guests[key], children[key], access[key], dietary[key] = (
            number,
            extra,
            kids,
            needs_access,
            needs_diet,
        )
    languages = {"yes": [], "maybe": []}
    bucket = case((going, "yes"), else_="maybe")
    for key, language, number in db.session.execute(
        select(bucket, Rsvp.interpretation_language, func.count())
        .where(Rsvp.meeting_id == meeting.id, going | maybe, Rsvp.interpretation_language != "")
        .group_by(bucket, Rsvp.interpretation_language)
        .order_by(func.count().desc(), Rsvp.interpretation_language)
    ):
        languages[key].append((language, number))
    details = db.session.execute(
        select(Rsvp.access_needs, Rsvp.dietary)
        .where(Rsvp.meeting_id == meeting.id, going, (Rsvp.access_needs != "") | (Rsvp.dietary != ""))
        .order_by(Rsvp.id)
        .limit(500)
    ).all()
    return {
        "counts": counts,
        "guests": guests,
        "coming": counts["yes"] + guests["yes"],
        "interpretation": languages["yes"],
        "children": children["yes"],
        "access_needs": [row.access_needs for row in details if row.access_needs],
        "dietary": [row.dietary for row in details if row.dietary],
        "maybe": {
            "people": counts["maybe"] + guests["maybe"],
            "interpretation": languages["maybe"],
            "children": children["maybe"],
            "access_needs": access["maybe"],
            "dietary": dietary["maybe"],
        },
    }


def _attendee_order() -> tuple:
    """Yes first, then waitlist, maybe and no; in each, the order of the waitlist, then of answering."""
    answer = case(
        (Rsvp.waitlisted.is_(True), 1),
        (Rsvp.response == RsvpResponse.YES, 0),
        (Rsvp.response == RsvpResponse.MAYBE, 2),
        else_=3,
    )
    return answer, Rsvp.waitlisted_at, Rsvp.id


def attendees(meeting: Meeting, limit: int | None = None) -> list[Rsvp]:
    """Everyone who answered, yes first, then waitlist, maybe and no; each with their account loaded."""
    statement = (
        select(Rsvp)
        .where(Rsvp.meeting_id == meeting.id)
        .options(selectinload(Rsvp.user))
        .order_by(*_attendee_order())
    )
    if limit:
        statement = statement.limit(limit)
    return list(db.session.scalars(statement))


def answers(meeting: Meeting, limit: int) -> list:
    """The attendee list as the meeting page shows it, in the order of `attendees()`: rows of name, email, user id
    (None for a visitor), answer ("yes", "maybe", "no" or "waitlist"), guests and needs, in one query (columns,
    the account joined, not whole objects)."""
    has_account = User.id.is_not(None)
    return db.session.execute(
        select(
            case((has_account, User.display_name), else_=func.coalesce(Rsvp.visitor_name, "")).label("name"),
            case((has_account, User.email), else_=func.coalesce(Rsvp.visitor_email, "")).label("email"),
            Rsvp.user_id,
            case((Rsvp.waitlisted.is_(True), "waitlist"), else_=Rsvp.response).label("answer"),
            Rsvp.guests,
            Rsvp.interpretation_language,
            Rsvp.children,
            Rsvp.access_needs,
            Rsvp.dietary,
        )
        .outerjoin(User, User.id == Rsvp.user_id)
        .where(Rsvp.meeting_id == meeting.id)
        .order_by(*_attendee_order())
        .limit(limit)
    ).all()


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
