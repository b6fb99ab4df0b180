"""Meeting rules: scheduling in a time zone, editing, cancelling, invitations, agenda and lists.

Functions add and flush; the request (or CLI command) commits once. RSVPs and the waitlist live in
`meetings.rsvps`, calendars in `meetings.calendar`, mail in `meetings.notify`, after-meeting records in
`meetings.after`.
"""

import zoneinfo
from datetime import UTC, date, datetime, time

from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coalition.accounts.models import User
from coalition.campaigns.models import Campaign
from coalition.coalitions import tagging
from coalition.coalitions.queries import active_members
from coalition.core.audit import record_audit
from coalition.core.i18n import gettext as _
from coalition.core.models import utcnow
from coalition.core.permissions import can
from coalition.core.plans import planned_for_its_values
from coalition.core.signals import meeting_cancelled
from coalition.extensions import db
from coalition.meetings import notify, rsvps
from coalition.meetings.errors import MeetingError
from coalition.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingInvite,
    MeetingStatus,
    MeetingVisibility,
    Rsvp,
    RsvpResponse,
)

#: At most this many members are offered in a meeting's member pickers.
MEMBER_CHOICES = 1000

#: Plain fields a meeting form sets as they are.
MEETING_FIELDS = (
    "kind",
    "title",
    "description",
    "campaign_id",
    "timezone",
    "venue",
    "address",
    "access_notes",
    "online_url",
    "capacity",
    "visibility",
    "languages",
    "interpretation",
    "childcare",
    "food",
)
#: A change to any of these raises the .ics SEQUENCE and tells the people coming.
SIGNIFICANT_FIELDS = ("start_at", "end_at", "venue", "address", "access_notes", "online_url")


# --- Time ----------------------------------------------------------------------------------------------------


def local_to_utc(day: date, clock: time, tz_name: str, field: str = "start_time") -> datetime:
    """Convert a wall-clock date and time in an IANA zone to aware UTC.

    Ambiguous times (the hour repeated when clocks go back) take the first occurrence (fold=0); times that do
    not exist (skipped when clocks go forward) are refused with a message.
    """
    try:
        zone = zoneinfo.ZoneInfo(tz_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise MeetingError(_("Please choose a time zone from the list."), "timezone") from error
    wall = datetime.combine(day, clock.replace(second=0, microsecond=0))
    result = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if result.astimezone(zone).replace(tzinfo=None) != wall:
        raise MeetingError(
            _(
                "%(time)s does not exist on %(date)s in %(zone)s: the clocks jump forward then. "
                "Please choose another time.",
                time=clock.strftime("%H:%M"),
                date=day.isoformat(),
                zone=tz_name,
            ),
            field,
        )
    return result


def meeting_times(start_day, start_time, end_day, end_time, tz_name) -> tuple[datetime, datetime]:
    """The UTC start and end of a meeting entered as local dates and times; the end must follow the start."""
    start_at = local_to_utc(start_day, start_time, tz_name, "start_time")
    end_at = local_to_utc(end_day or start_day, end_time, tz_name, "end_time")
    if end_at <= start_at:
        raise MeetingError(_("The meeting must end after it starts."), "end_time")
    return start_at, end_at


def local_parts(meeting: Meeting) -> dict:
    """The meeting's start and end as local dates and times in its own zone (to fill the edit form)."""
    zone = zoneinfo.ZoneInfo(meeting.timezone)
    start, end = meeting.start_at.astimezone(zone), meeting.end_at.astimezone(zone)
    return {"start_date": start.date(), "start_time": start.time(), "end_date": end.date(), "end_time": end.time()}


# --- Scheduling ----------------------------------------------------------------------------------------------


def _check_fields(coalition, fields: dict, meeting: Meeting | None) -> None:
    campaign_id = fields.get("campaign_id") or None
    fields["campaign_id"] = campaign_id
    if campaign_id is not None:
        found = db.session.scalar(
            select(Campaign.id).where(Campaign.id == campaign_id, Campaign.coalition_id == coalition.id)
        )
        if found is None:
            raise MeetingError(_("Please choose a campaign from the list."), "campaign_id")
    capacity = fields.get("capacity")
    if capacity is not None and meeting is not None and capacity < meeting.seats_taken:
        raise MeetingError(
            ngettext(
                "%(num)d place is already taken; the capacity cannot be lower.",
                "%(num)d places are already taken; the capacity cannot be lower.",
                meeting.seats_taken,
            ),
            "capacity",
        )


def schedule_meeting(coalition, user, *, start_date, start_time, end_date, end_time, **fields) -> Meeting:
    """Schedule a meeting; start and end are local wall-clock values in `fields['timezone']`."""
    start_at, end_at = meeting_times(start_date, start_time, end_date, end_time, fields["timezone"])
    _check_fields(coalition, fields, None)
    meeting = Meeting(coalition_id=coalition.id, created_by_id=user.id, start_at=start_at, end_at=end_at, seats_taken=0)
    for name in MEETING_FIELDS:
        setattr(meeting, name, fields[name])
    db.session.add(meeting)
    db.session.flush()
    record_audit("meeting.create", actor=user, coalition=coalition, obj=meeting, title=meeting.title)
    return meeting


def update_meeting(meeting: Meeting, user, *, start_date, start_time, end_date, end_time, **fields) -> bool:
    """Edit a meeting; a change of time or place raises SEQUENCE and notifies everyone coming. True if it did."""

    if meeting.is_cancelled:
        raise MeetingError(_("This meeting was cancelled and can no longer be changed."))
    start_at, end_at = meeting_times(start_date, start_time, end_date, end_time, fields["timezone"])
    _check_fields(meeting.coalition, fields, meeting)
    before = {name: getattr(meeting, name) for name in SIGNIFICANT_FIELDS}
    old_capacity = meeting.capacity
    meeting.start_at, meeting.end_at = start_at, end_at
    for name in MEETING_FIELDS:
        setattr(meeting, name, fields[name])
    significant = any(before[name] != getattr(meeting, name) for name in SIGNIFICANT_FIELDS)
    if significant:
        meeting.sequence += 1
    db.session.flush()
    if meeting.capacity is None or (old_capacity is not None and meeting.capacity > old_capacity):
        rsvps.promote_waitlist(meeting)
    if significant:
        notify.notify_change(meeting)
    record_audit("meeting.edit", actor=user, coalition=meeting.coalition, obj=meeting, significant=significant)
    return significant


def cancel_meeting(meeting: Meeting, user) -> None:
    """Cancel a meeting: its .ics becomes METHOD:CANCEL and everyone who answered yes, maybe or waits is told."""

    if meeting.is_cancelled:
        raise MeetingError(_("This meeting is already cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = utcnow()
    meeting.sequence += 1
    db.session.flush()
    meeting_cancelled.send(meeting.coalition_id, meeting=meeting)
    notify.notify_cancellation(meeting)
    record_audit("meeting.cancel", actor=user, coalition=meeting.coalition, obj=meeting)


# --- Invitations (invite-only meetings) ------------------------------------------------------------------------


def invitable_members(meeting: Meeting, tag: str | None = None) -> list:
    """Active members of the coalition not yet invited, by name (for the invite form); only those tagged `tag`
    when one is named."""
    invited = select(MeetingInvite.user_id).where(MeetingInvite.meeting_id == meeting.id)
    statement = active_members(meeting.coalition_id).where(User.id.not_in(invited))
    if tag:
        statement = tagging.members_tagged(statement, tag, meeting.coalition_id)
    return list(db.session.scalars(statement.limit(MEMBER_CHOICES)))


def invite_tagged(meeting: Meeting, tag: str, by) -> int:
    """Invite every active member tagged `tag` who is not invited yet; return how many were invited."""
    if not tag:
        raise MeetingError(_("Please choose a tag."), "tag")
    members = invitable_members(meeting, tag)
    for member in members:
        _invite(meeting, member, by)
    return len(members)


def invite_member(meeting: Meeting, user_id: int, by) -> MeetingInvite:
    """Invite an active member of the coalition to a meeting and tell them by mail."""
    member = next((u for u in invitable_members(meeting) if u.id == user_id), None)
    if member is None:
        raise MeetingError(_("Please choose a member of the coalition who is not invited yet."), "user_id")
    return _invite(meeting, member, by)


def _invite(meeting: Meeting, member: User, by) -> MeetingInvite:
    invite = MeetingInvite(
        coalition_id=meeting.coalition_id, meeting_id=meeting.id, user_id=member.id, invited_by_id=by.id
    )
    db.session.add(invite)
    db.session.flush()
    notify.notify_invited(meeting, member)
    record_audit("meeting.invite", actor=by, coalition=meeting.coalition, obj=meeting, user_id=member.id)
    return invite


def remove_invite(invite: MeetingInvite, by) -> None:
    """Withdraw an invitation (their RSVP, if any, stays for the organizers to see)."""
    db.session.delete(invite)
    db.session.flush()


def coalition_members(coalition_id: int) -> list:
    """Active members of a coalition, by name (owners of action items)."""
    return list(db.session.scalars(active_members(coalition_id).limit(MEMBER_CHOICES)))


# --- Agenda --------------------------------------------------------------------------------------------------


def save_agenda_item(meeting: Meeting, item: AgendaItem | None, *, title, duration_minutes, facilitator) -> AgendaItem:
    """Add an item at the end of the agenda, or edit one."""
    if item is None:
        last = max((i.position for i in meeting.agenda_items), default=0)
        item = AgendaItem(coalition_id=meeting.coalition_id, meeting=meeting, position=last + 1)
        db.session.add(item)
    item.title, item.duration_minutes, item.facilitator = title, duration_minutes or 0, facilitator or ""
    db.session.flush()
    return item


def delete_agenda_item(item: AgendaItem) -> None:
    """Remove an item from the agenda."""
    db.session.delete(item)
    db.session.flush()


def move_agenda_item(item: AgendaItem, direction: str) -> None:
    """Swap an item with its neighbour above ("up") or below ("down")."""
    items = list(item.meeting.agenda_items)
    for position, each in enumerate(items, start=1):  # renumber, so positions are distinct
        each.position = position
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index].position, items[other].position = items[other].position, items[index].position
    db.session.flush()
    db.session.expire(item.meeting, ["agenda_items"])


# --- Lists ---------------------------------------------------------------------------------------------------


def visible_meetings(coalition, user):
    """select(Meeting) of the coalition's meetings `user` may see (invite-only ones only when invited)."""
    statement = select(Meeting).where(Meeting.coalition_id == coalition.id).options(joinedload(Meeting.campaign))
    if not can("meeting.manage", coalition, user):
        invited = select(MeetingInvite.meeting_id).where(MeetingInvite.user_id == user.id)
        statement = statement.where((Meeting.visibility != MeetingVisibility.INVITE_ONLY) | Meeting.id.in_(invited))
    return statement


def list_meetings(coalition, user, *, past: bool = False, campaign_id: int | None = None, kind: str | None = None):
    """Upcoming (soonest first) or past (latest first) meetings, optionally of one campaign or kind."""
    now = utcnow()
    statement = visible_meetings(coalition, user)
    if past:
        statement = statement.where(Meeting.end_at <= now).order_by(Meeting.start_at.desc(), Meeting.id.desc())
    else:
        statement = statement.where(Meeting.end_at > now).order_by(Meeting.start_at, Meeting.id)
    if campaign_id:
        statement = statement.where(Meeting.campaign_id == campaign_id)
    if kind:
        statement = statement.where(Meeting.kind == kind)
    return statement


def meeting_ids(statement):
    """The ids of a `list_meetings()` statement, in its order, to page through before loading a page's meetings."""
    return statement.with_only_columns(Meeting.id)


def my_meetings(coalition, user, *, past: bool = False):
    """Meetings the member answered yes or maybe (or waits for), upcoming first."""
    answered = select(Rsvp.meeting_id).where(
        Rsvp.user_id == user.id, Rsvp.response.in_([RsvpResponse.YES, RsvpResponse.MAYBE])
    )
    return planned_for_its_values(list_meetings(coalition, user, past=past).where(Meeting.id.in_(answered)))


def responses_for(user, meetings) -> dict[int, Rsvp]:
    """{meeting_id: the member's RSVP} for the meetings of a page, in one query."""
    ids = [m.id for m in meetings]
    if not ids or user is None:
        return {}
    rows = db.session.scalars(select(Rsvp).where(Rsvp.user_id == user.id, Rsvp.meeting_id.in_(ids)))
    return {r.meeting_id: r for r in rows}
