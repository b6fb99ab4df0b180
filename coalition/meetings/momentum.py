"""What meetings give campaign momentum (meetings held, attendance, timeline) and the organizing
team's dashboard panel (this week's meetings with their needs, recent feedback, overdue action items)."""

from datetime import timedelta

from sqlalchemy import Integer, String, case, func, literal, select, union_all
from sqlalchemy.orm import joinedload

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
    rows = db.session.execute(
        select(
            Meeting.campaign_id,
            func.count(),
            func.sum(Meeting.checked_in),
            func.sum(case((Meeting.start_at > now, 1), else_=0)),
        )
        .where(Meeting.campaign_id.in_(campaign_ids), Meeting.status != MeetingStatus.CANCELLED, Meeting.end_at > now)
        .group_by(Meeting.campaign_id)
    )
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


def last_activity(campaign_id):
    """When the campaign's latest meeting held ended (a subquery walking (campaign_id, end_at) backwards)."""
    return (
        select(Meeting.end_at)
        .where(Meeting.campaign_id == campaign_id, _held(utcnow()))
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
    ordered = parts.order_by(columns.meeting_id, columns.part, columns.number.desc(), columns.language)
    for meeting_id, part, language, number, guests, children, access in db.session.execute(ordered):
        if part == _COMING:
            needs[meeting_id].update(coming=number + guests, children=children, access=int(access or 0))
        elif part == _LANGUAGE:
            needs[meeting_id]["interpretation"].append((language, number))
        else:
            needs[meeting_id]["unfilled"] = number
    return needs


def _recent_feedback(coalition, now):
    number, average = func.count(Feedback.id), func.avg(Feedback.rating)
    return db.session.execute(
        select(Meeting, number, average)
        .join(Feedback, Feedback.meeting_id == Meeting.id)
        .where(Meeting.coalition_id == coalition.id, Meeting.end_at >= now - timedelta(days=FEEDBACK_DAYS))
        .group_by(Meeting.id)
        .order_by(Meeting.end_at.desc(), Meeting.id.desc())
        .limit(PANEL_LIMIT)
    ).all()


def _this_week(coalition, now) -> list[Meeting]:
    """The meetings going on now or starting in the next seven days, soonest first (at most WEEK_LIMIT).

    Two parts read two index ranges: meetings starting this week ((coalition_id, start_at)), and meetings started
    but not over ((coalition_id, end_at, start_at)); one ordered scan would walk every meeting of the past.
    """
    kept = Meeting.coalition_id == coalition.id, Meeting.status != MeetingStatus.CANCELLED
    starting = select(Meeting).where(*kept, Meeting.start_at > now, Meeting.start_at <= now + timedelta(days=7))
    going_on = select(Meeting).where(*kept, Meeting.start_at <= now, Meeting.end_at > now)
    both = union_all(starting, going_on)
    both = both.order_by(both.selected_columns.start_at, both.selected_columns.id).limit(WEEK_LIMIT)
    return db.session.scalars(select(Meeting).from_statement(both)).all()


def team_meetings_panel(coalition, user):
    """For the organizing team: this week's meetings with their needs and unfilled roles, recent feedback, and
    overdue action items; each links where it is handled (four queries)."""
    if not can("meeting.manage", coalition, user):
        return None
    now = utcnow()
    week = _this_week(coalition, now)
    overdue = db.session.scalars(
        select(ActionItem)
        .where(
            ActionItem.coalition_id == coalition.id,
            ActionItem.status == ActionStatus.OPEN,
            ActionItem.due_on < now.date(),
        )
        .options(joinedload(ActionItem.meeting), joinedload(ActionItem.owner))
        .order_by(ActionItem.due_on, ActionItem.id)
        .limit(PANEL_LIMIT)
    ).all()
    return {
        "week": week,
        "needs": _needs_of([m.id for m in week]),
        "feedback": _recent_feedback(coalition, now),
        "overdue_actions": overdue,
        "title": _("This week's meetings"),
    }
