"""What meetings give campaign momentum (meetings held, attendance, timeline) and the organizing
team's dashboard panel (this week's meetings with their needs, recent feedback, overdue action items)."""

from datetime import timedelta
from functools import cache

from sqlalchemy import Integer, String, bindparam, case, func, literal, select, union_all

from coalition.accounts.models import User
from coalition.campaigns.providers import MeetingsProgress, TimelineEntry, TimelineRows
from coalition.core.i18n import gettext as _
from coalition.core.links import row_link
from coalition.core.models import utcnow
from coalition.core.permissions import can
from coalition.extensions import db
from coalition.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Feedback,
    Meeting,
    MeetingInvite,
    MeetingStatus,
    MeetingVisibility,
    Rsvp,
    RsvpResponse,
)
from coalition.meetings.tallies import CHECKED_IN, MEETINGS

WEEK_LIMIT = 10
PANEL_LIMIT = 5
FEEDBACK_DAYS = 14
#: The parts of the needs query: people coming with their children and access needs, languages, unfilled roles.
_COMING, _LANGUAGE, _UNFILLED = 0, 1, 2


def _held(now):
    return (Meeting.status != MeetingStatus.CANCELLED) & (Meeting.end_at <= now)


def meetings_progress(campaign_ids, now, tallies) -> dict[int, MeetingsProgress]:
    """{campaign id: meetings held, upcoming, and people checked in at those held (walk-ins included)}.

    The campaigns' meetings not cancelled and the people checked in at them are kept (`tallies`); one query reads
    the meetings not yet over (index on (campaign_id, end_at)), which are subtracted to leave those held.
    """
    rows = db.session.execute(_not_over_statement(), {"campaign_ids": list(campaign_ids), "now": now})
    not_over = {
        campaign_id: (count, int(present or 0), int(upcoming or 0)) for campaign_id, count, present, upcoming in rows
    }
    result = {}
    for campaign_id in campaign_ids:
        kept = tallies.get(campaign_id, {})
        count, present, upcoming = not_over.get(campaign_id, (0, 0, 0))
        meetings, checked_in = kept.get((MEETINGS, ""), 0), kept.get((CHECKED_IN, ""), 0)
        if meetings or count:
            result[campaign_id] = MeetingsProgress(meetings - count, upcoming, checked_in - present)
    return result


@cache
def _not_over_statement():
    """Built once: per campaign of :campaign_ids, its meetings not cancelled nor over at :now, the people checked in
    at them, and how many have not started."""
    now = bindparam("now")
    return (
        select(
            Meeting.campaign_id,
            func.count(),
            func.sum(Meeting.checked_in),
            func.sum(case((Meeting.start_at > now, 1), else_=0)),
        )
        .where(
            Meeting.campaign_id.in_(bindparam("campaign_ids", expanding=True)),
            Meeting.status != MeetingStatus.CANCELLED,
            Meeting.end_at > now,
        )
        .group_by(Meeting.campaign_id)
    )


def last_activity(campaign_id):
    """When the campaign's latest meeting held ended by `:now` (a subquery walking (campaign_id, end_at) backwards)."""
    return (
        select(Meeting.end_at)
        .where(Meeting.campaign_id == campaign_id, _held(bindparam("now")))
        .order_by(Meeting.end_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def _visible_to(statement, campaign, viewer):
    if can("meeting.manage", campaign, viewer):
        return statement
    invited = select(MeetingInvite.meeting_id).where(MeetingInvite.user_id == viewer.id)
    return statement.where((Meeting.visibility != MeetingVisibility.INVITE_ONLY) | Meeting.id.in_(invited))


def timeline_rows(campaign, viewer) -> TimelineRows:
    """Meetings of the campaign held (ended, not cancelled) that `viewer` may see, for the campaign's timeline."""
    statement = select(Meeting.end_at, Meeting.id, Meeting.title).where(
        Meeting.campaign_id == campaign.id, _held(utcnow())
    )
    return TimelineRows(_visible_to(statement, campaign, viewer), _meeting_entry)


def _meeting_entry(at, meeting_id, title) -> TimelineEntry:
    return TimelineEntry(at, "meeting", title, row_link("meetings.show", "meeting_id", meeting_id))


# --- The organizing team's dashboard panel -------------------------------------------------------------------


def _needs_of(meeting_ids) -> dict[int, dict]:
    """{meeting id: coming, children, access needs, [(language, people)], unfilled roles}: one query, run even for an
    empty week (so the dashboard's statement count does not depend on the data)."""
    needs = {i: {"coming": 0, "children": 0, "access": 0, "interpretation": [], "unfilled": 0} for i in meeting_ids}
    for meeting_id, part, language, number, guests, children, access in db.session.execute(
        _needs_statement(), {"meeting_ids": list(meeting_ids)}
    ):
        if part == _COMING:
            needs[meeting_id].update(coming=number + guests, children=children, access=int(access or 0))
        elif part == _LANGUAGE:
            needs[meeting_id]["interpretation"].append((language, number))
        else:
            needs[meeting_id]["unfilled"] = number
    return needs


@cache
def _needs_statement():
    """Built once (the dashboard's statements cost more to build than to run): the needs of :meeting_ids."""
    meeting_ids = bindparam("meeting_ids", expanding=True)
    going = Rsvp.meeting_id.in_(meeting_ids), Rsvp.response == RsvpResponse.YES, Rsvp.waitlisted.is_(False)
    zero = literal(0, Integer)
    coming = (
        select(
            Rsvp.meeting_id.label("meeting_id"),
            literal(_COMING, Integer).label("part"),
            literal("", String).label("language"),
            func.count().label("number"),
            func.coalesce(func.sum(Rsvp.guests), 0).label("guests"),
            func.coalesce(func.sum(Rsvp.children), 0).label("children"),
            func.sum(case((Rsvp.access_needs != "", 1), else_=0)).label("access"),
        )
        .where(*going)
        .group_by(Rsvp.meeting_id)
    )
    languages = (
        select(Rsvp.meeting_id, literal(_LANGUAGE, Integer), Rsvp.interpretation_language, func.count())
        .add_columns(zero, zero, zero)
        .where(*going, Rsvp.interpretation_language != "")
        .group_by(Rsvp.meeting_id, Rsvp.interpretation_language)
    )
    unfilled = (
        select(AgendaItem.meeting_id, literal(_UNFILLED, Integer), literal("", String), func.count(), zero, zero, zero)
        .where(AgendaItem.meeting_id.in_(meeting_ids), AgendaItem.facilitator == "")
        .group_by(AgendaItem.meeting_id)
    )
    parts = union_all(coming, languages, unfilled)
    columns = parts.selected_columns
    # Languages most asked for first, then by name (the order of the needs summary on the meeting page).
    return parts.order_by(columns.meeting_id, columns.part, columns.number.desc(), columns.language)


@cache
def _feedback_statement():
    """Built once: the meetings of :coalition_id ended since :since with feedback, with its number and average."""
    return (
        select(
            Meeting.id,
            Meeting.title,
            func.count(Feedback.id).label("answers"),
            func.avg(Feedback.rating).label("average"),
        )
        .join(Feedback, Feedback.meeting_id == Meeting.id)
        .where(Meeting.coalition_id == bindparam("coalition_id"), Meeting.end_at >= bindparam("since"))
        .group_by(Meeting.id, Meeting.title)
        .order_by(Meeting.end_at.desc(), Meeting.id.desc())
        .limit(PANEL_LIMIT)
    )


@cache
def _week_statement():
    """Built once: the meetings of :coalition_id going on at :now or starting by :week_end, soonest first (at most
    WEEK_LIMIT).

    Two parts read two index ranges: meetings starting this week ((coalition_id, start_at)), and meetings started
    but not over ((coalition_id, end_at, start_at)); one ordered scan would walk every meeting of the past.
    """
    now = bindparam("now")
    kept = Meeting.coalition_id == bindparam("coalition_id"), Meeting.status != MeetingStatus.CANCELLED
    columns = Meeting.id, Meeting.title, Meeting.start_at
    starting = select(*columns).where(*kept, Meeting.start_at > now, Meeting.start_at <= bindparam("week_end"))
    going_on = select(*columns).where(*kept, Meeting.start_at <= now, Meeting.end_at > now)
    both = union_all(starting, going_on)
    return both.order_by(both.selected_columns.start_at, both.selected_columns.id).limit(WEEK_LIMIT)


@cache
def _overdue_statement():
    """Built once: the open action items of :coalition_id due before :today, with their owner's name and meeting's
    title."""
    return (
        select(
            ActionItem.id,
            ActionItem.title,
            ActionItem.due_on,
            User.display_name.label("owner_name"),
            Meeting.title.label("meeting_title"),
        )
        .outerjoin(User, User.id == ActionItem.owner_id)
        .outerjoin(Meeting, Meeting.id == ActionItem.meeting_id)
        .where(
            ActionItem.coalition_id == bindparam("coalition_id"),
            ActionItem.status == ActionStatus.OPEN,
            ActionItem.due_on < bindparam("today"),
        )
        .order_by(ActionItem.due_on, ActionItem.id)
        .limit(PANEL_LIMIT)
    )


def team_meetings_panel(coalition, user):
    """For the organizing team: this week's meetings with their needs and unfilled roles, recent feedback, and
    overdue action items; each links where it is handled (four queries, of columns only)."""
    if not can("meeting.manage", coalition, user):
        return None
    now = utcnow()
    week = db.session.execute(
        _week_statement(), {"coalition_id": coalition.id, "now": now, "week_end": now + timedelta(days=7)}
    ).all()
    feedback = db.session.execute(
        _feedback_statement(), {"coalition_id": coalition.id, "since": now - timedelta(days=FEEDBACK_DAYS)}
    ).all()
    overdue = db.session.execute(_overdue_statement(), {"coalition_id": coalition.id, "today": now.date()}).all()
    return {
        "week": week,
        "needs": _needs_of([m.id for m in week]),
        "feedback": feedback,
        "overdue_actions": overdue,
        "title": _("This week's meetings"),
    }
