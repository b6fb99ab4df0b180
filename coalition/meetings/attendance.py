"""What organizers see of the people coming: the needs summary, the attendee list and its CSV."""

from sqlalchemy import Integer, String, case, func, literal, select, union_all
from sqlalchemy.orm import selectinload

from coalition.accounts.models import User
from coalition.core.pagination import Page, paginate
from coalition.extensions import db
from coalition.meetings.models import Meeting, Rsvp, RsvpResponse

#: The parts of the needs summary's query: answers counted by state, interpretation languages, the needs in words.
_ANSWERS, _LANGUAGES, _DETAILS = 0, 1, 2
#: The needs in words listed at most.
DETAILS_LIMIT = 500


def _needs_query(meeting: Meeting):
    """The three parts of the needs summary in one UNION: (part, key, text, text, number, guests, children, access,
    dietary), ordered for reading: languages most asked for first, then by name; needs in words in answering order."""
    going = (Rsvp.response == RsvpResponse.YES) & Rsvp.waitlisted.is_(False)
    maybe = Rsvp.response == RsvpResponse.MAYBE
    state = case((Rsvp.waitlisted.is_(True), "waitlist"), else_=Rsvp.response)
    text, zero = literal("", String), literal(0, Integer)
    answers = (
        select(
            literal(_ANSWERS, Integer).label("part"),
            state.label("key"),
            text.label("words"),
            text.label("second"),
            func.count().label("amount"),
            func.coalesce(func.sum(Rsvp.guests), 0),
            func.coalesce(func.sum(Rsvp.children), 0),
            func.count(case((Rsvp.access_needs != "", 1))),
            func.count(case((Rsvp.dietary != "", 1))),
        )
        .where(Rsvp.meeting_id == meeting.id)
        .group_by(state)
    )
    bucket = case((going, "yes"), else_="maybe")
    languages = (  # the count negated, so that one ascending order serves every part
        select(literal(_LANGUAGES, Integer), bucket, Rsvp.interpretation_language, text, -func.count())
        .add_columns(zero, zero, zero, zero)
        .where(Rsvp.meeting_id == meeting.id, going | maybe, Rsvp.interpretation_language != "")
        .group_by(bucket, Rsvp.interpretation_language)
    )
    details = (
        select(Rsvp.id, Rsvp.access_needs, Rsvp.dietary)
        .where(Rsvp.meeting_id == meeting.id, going, (Rsvp.access_needs != "") | (Rsvp.dietary != ""))
        .order_by(Rsvp.id)
        .limit(DETAILS_LIMIT)
        .subquery()
    )
    in_words = select(literal(_DETAILS, Integer), text, details.c.access_needs, details.c.dietary, details.c.id)
    both = union_all(answers, languages, in_words.add_columns(zero, zero, zero, zero))
    columns = both.selected_columns
    return both.order_by(columns.part, columns.amount, columns.words)


def needs_summary(meeting: Meeting) -> dict:
    """Counts of answers and the needs of the people coming (a yes with a place), from SQL aggregates (one query).

    The needs of people who answered maybe are counted apart (`maybe`), so organizers can plan for them too.
    """
    counts = {"yes": 0, "maybe": 0, "no": 0, "waitlist": 0}
    guests, children, access, dietary = ({key: 0 for key in counts} for _ in range(4))
    languages = {"yes": [], "maybe": []}
    details = []
    for part, key, first, second, number, extra, kids, needs_access, needs_diet in db.session.execute(
        _needs_query(meeting)
    ):
        if part == _ANSWERS:
            key = str(key)
            counts[key], guests[key], children[key], access[key], dietary[key] = (
                number,
                extra,
                kids,
                needs_access,
                needs_diet,
            )
        elif part == _LANGUAGES:
            languages[key].append((first, -number))
        else:
            details.append((first, second))
    return {
        "counts": counts,
        "answered": sum(counts.values()),
        "guests": guests,
        "coming": counts["yes"] + guests["yes"],
        "interpretation": languages["yes"],
        "children": children["yes"],
        "access_needs": [needs for needs, _diet in details if needs],
        "dietary": [diet for _needs, diet in details if diet],
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
        select(Rsvp).where(Rsvp.meeting_id == meeting.id).options(selectinload(Rsvp.user)).order_by(*_attendee_order())
    )
    if limit:
        statement = statement.limit(limit)
    return list(db.session.scalars(statement))


#: Answers on a page of the meeting page's attendee table (the attendee CSV has them all).
ANSWERS_PER_PAGE = 50


def answers(meeting: Meeting, total: int) -> Page:
    """A page (`?page=`) of the attendee list as the meeting page shows it, in the order of `attendees()`: rows of
    name, email, user id (None for a visitor), answer ("yes", "maybe", "no" or "waitlist"), guests and needs, in one
    query (columns, the account joined, not whole objects). `total`, the number of answers, is known from the needs
    summary's counts and not counted again."""
    has_account = User.id.is_not(None)
    statement = (
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
    )
    return paginate(statement, ANSWERS_PER_PAGE, total=total, rows=True)


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
