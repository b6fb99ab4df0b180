"""RFC 5545 calendars with the icalendar library: one meeting's .ics, and each person's private feed.

Times carry the meeting's IANA zone (TZID plus its VTIMEZONE), so calendars keep the local wall-clock time
across daylight-saving changes. The UID is stable per meeting; SEQUENCE rises with every significant change.
"""

import re
import threading
import zoneinfo
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from functools import cache
from urllib.parse import urlsplit

import icalendar
from flask import current_app
from sqlalchemy import Select, bindparam, select

from coalition.coalitions.models import Coalition, Membership, MembershipStatus
from coalition.core.links import site_link
from coalition.core.models import utcnow
from coalition.core.tokens import hash_token, new_token
from coalition.extensions import db
from coalition.meetings.models import CalendarFeed, Meeting, MeetingStatus, Rsvp, RsvpResponse

#: How far back the private feed reaches, and how many meetings it holds at most.
FEED_PAST = timedelta(days=90)
FEED_LIMIT = 500


def meeting_path(meeting: Meeting) -> str:
    """The site path of the meeting's page."""
    return _path(meeting.coalition.slug, meeting.id)


def _path(coalition_slug: str, meeting_id: int) -> str:
    return f"/c/{coalition_slug}/meetings/{meeting_id}"


@dataclass(frozen=True, slots=True)
class EventFacts:
    """Every value of a meeting that its event shows (the exact place only with `details`): two meetings with the
    same facts give the same event. Made from a Meeting, or read as columns by the feed (no Meeting objects)."""

    id: int
    coalition_slug: str
    coalition_name: str
    updated_at: datetime | None
    sequence: int
    start_at: datetime
    end_at: datetime
    timezone: str
    title: str
    is_cancelled: bool
    venue: str | None
    description: str | None
    details: bool
    address: str | None = None
    online_url: str | None = None
    access_notes: str | None = None

    @classmethod
    def of(cls, meeting: Meeting, details: bool) -> "EventFacts":
        return cls.made(meeting, meeting.coalition.slug, meeting.coalition.name, meeting.is_cancelled, details)

    @classmethod
    def made(cls, values, coalition_slug: str, coalition_name: str, is_cancelled: bool, details: bool) -> "EventFacts":
        """From `values`: a Meeting, or a row of its columns under the same names."""
        return cls(
            values.id,
            coalition_slug,
            coalition_name,
            values.updated_at,
            values.sequence,
            values.start_at,
            values.end_at,
            values.timezone,
            values.title,
            is_cancelled,
            values.venue,
            values.description,
            details,
            *((values.address, values.online_url, values.access_notes) if details else ()),
        )


def _event(facts: EventFacts, *, attendee_email: str | None = None) -> icalendar.Event:
    zone = zoneinfo.ZoneInfo(facts.timezone)
    link = site_link(_path(facts.coalition_slug, facts.id))
    event = icalendar.Event()
    # A UID that never changes for a meeting: meeting-<id>@<site host>.
    host = urlsplit(current_app.config["SITE_URL"]).hostname or "coalition.localhost"
    event.add("uid", f"meeting-{facts.id}@{host}")
    event.add("dtstamp", utcnow())
    event.add("last-modified", facts.updated_at or utcnow())
    event.add("sequence", facts.sequence)
    event.add("dtstart", facts.start_at.astimezone(zone))
    event.add("dtend", facts.end_at.astimezone(zone))
    event.add("summary", facts.title)
    event.add("status", "CANCELLED" if facts.is_cancelled else "CONFIRMED")
    event.add("url", link)
    place = [facts.venue, facts.address, facts.online_url]  # the last two only with details
    location = ", ".join(part for part in place if part)
    if location:
        event.add("location", location)
    text = [facts.description, facts.access_notes, link]
    event.add("description", "\n\n".join(part for part in text if part))
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    organizer = icalendar.vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = facts.coalition_name
    event.add("organizer", organizer)
    if attendee_email:
        attendee = icalendar.vCalAddress(f"mailto:{attendee_email}")
        attendee.params["role"] = "REQ-PARTICIPANT"
        event.add("attendee", attendee)
    return event


#: Calendars already made, by everything they say: a repeat request (a calendar app polling its feed, the same .ics
#: asked for again) re-uses the text and only gets a new DTSTAMP. Bounded by the characters it holds, per process.
_MADE: OrderedDict[tuple, str] = OrderedDict()
_MADE_MAX_CHARS = 2_000_000
_made_lock = threading.Lock()
_made_chars = [0]
_DTSTAMP_LINE = re.compile(r"^DTSTAMP:[0-9TZ]+\r$", re.MULTILINE)


def _calendar(events: list[EventFacts], method: str | None, attendee_email=None) -> str:
    """The calendar text of these events, made once and then re-used with a fresh DTSTAMP."""
    config = current_app.config
    key = (config["SITE_URL"], config["MAIL_DEFAULT_SENDER"], method, attendee_email, tuple(events))
    with _made_lock:
        text = _MADE.get(key)
        if text is not None:
            _MADE.move_to_end(key)
    if text is not None:
        stamp = icalendar.vDDDTypes(utcnow()).to_ical().decode()
        return _DTSTAMP_LINE.sub(f"DTSTAMP:{stamp}\r", text)
    text = _make_calendar(events, method, attendee_email)
    with _made_lock:
        if key not in _MADE:
            _MADE[key] = text
            _made_chars[0] += len(text)
        while _made_chars[0] > _MADE_MAX_CHARS and len(_MADE) > 1:
            _made_chars[0] -= len(_MADE.popitem(last=False)[1])
    return text


def _make_calendar(events: list[EventFacts], method: str | None, attendee_email=None) -> str:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Coalition//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    for facts in events:
        calendar.add_component(_event(facts, attendee_email=attendee_email))
    if events:
        first = min(facts.start_at for facts in events).date() - timedelta(days=1)
        last = max(facts.end_at for facts in events).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical().decode()


def meeting_ics(meeting: Meeting, *, details: bool, attendee_email: str | None = None) -> str:
    """The .ics of one meeting: METHOD:REQUEST, or METHOD:CANCEL with STATUS:CANCELLED once cancelled."""
    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    return _calendar([EventFacts.of(meeting, details)], method, attendee_email)


def ics_attachment(meeting: Meeting, *, details: bool, attendee_email: str | None = None) -> tuple[str, str, str]:
    """(filename, content type, text) of a meeting's .ics for queue_mail(attachments=...)."""
    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    return (
        "meeting.ics",
        f"text/calendar; method={method}",
        meeting_ics(meeting, details=details, attendee_email=attendee_email),
    )


# --- Private subscription feeds --------------------------------------------------------------------------------


def feed_of(coalition, user) -> CalendarFeed | None:
    """The person's calendar feed in a coalition, if they made one."""
    return db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.coalition_id == coalition.id, CalendarFeed.user_id == user.id)
    )


def regenerate_feed(coalition, user) -> str:
    """Create the person's feed link, or replace it (the old link stops working); returns the raw token."""
    raw, token_hash = new_token()
    feed = feed_of(coalition, user)
    if feed is None:
        feed = CalendarFeed(coalition_id=coalition.id, user_id=user.id)
        db.session.add(feed)
    feed.token_hash, feed.created_at = token_hash, utcnow()
    db.session.flush()
    return raw


def revoke_feed(coalition, user) -> None:
    """Delete the person's feed: its link stops working at once."""
    feed = feed_of(coalition, user)
    if feed is not None:
        db.session.delete(feed)
        db.session.flush()


def feed_calendar(coalition_slug: str, raw: str) -> str | None:
    """The calendar behind a feed link (meetings its owner answered yes or maybe, from 90 days ago on), or None when
    the coalition or the link is unknown, or its owner is no longer an active member of the coalition. One
    statement, the coalition's included: calendar apps poll their feeds, so this runs far more often than any page."""
    if not raw or len(raw) > 100 or not coalition_slug:
        return None
    rows = db.session.execute(
        _feed_rows(), {"slug": coalition_slug, "token_hash": hash_token(raw), "since": utcnow() - FEED_PAST}
    ).all()
    if not rows:
        return None
    return _calendar([_feed_event(row) for row in rows if row.id is not None], None)


def _feed_event(row) -> EventFacts:
    return EventFacts.made(row, row.slug, row.name, row.status == MeetingStatus.CANCELLED, bool(row.is_going))


@cache
def _feed_rows() -> Select:
    """The coalition and the feed (so that a feed with no meetings is still found), left-joined to its owner's yes and
    maybe answers (by the owner's index) and to each answer's meeting when it is this coalition's and recent (by its
    key); answers to other meetings come last with no meeting and are left out. Whether each yes holds a place comes
    along. Columns, not objects (`_feed_event`): no Coalition, Meeting or Rsvp objects are made. Plain left joins:
    PostgreSQL and SQLite both walk the owner's answers (SQLite built a parenthesised join of every recent meeting's
    answers first). Built once."""
    going = ((Rsvp.response == RsvpResponse.YES) & Rsvp.waitlisted.is_(False)).label("is_going")
    return (
        select(
            Coalition.slug,
            Coalition.name,
            Meeting.id,
            Meeting.updated_at,
            Meeting.sequence,
            Meeting.start_at,
            Meeting.end_at,
            Meeting.timezone,
            Meeting.title,
            Meeting.status,
            Meeting.venue,
            Meeting.description,
            Meeting.address,
            Meeting.online_url,
            Meeting.access_notes,
            going,
        )
        .select_from(Coalition)
        .join(CalendarFeed, CalendarFeed.coalition_id == Coalition.id)
        .join(
            Membership,
            (Membership.user_id == CalendarFeed.user_id) & (Membership.coalition_id == CalendarFeed.coalition_id),
        )
        .outerjoin(
            Rsvp,
            (Rsvp.user_id == CalendarFeed.user_id) & Rsvp.response.in_([RsvpResponse.YES, RsvpResponse.MAYBE]),
        )
        .outerjoin(
            Meeting,
            (Meeting.id == Rsvp.meeting_id)
            & (Meeting.coalition_id == CalendarFeed.coalition_id)
            & (Meeting.end_at >= bindparam("since")),
        )
        .where(
            Coalition.slug == bindparam("slug"),
            CalendarFeed.token_hash == bindparam("token_hash"),
            Membership.status == MembershipStatus.ACTIVE,
        )
        .order_by(Meeting.start_at.asc().nulls_last())
        .limit(FEED_LIMIT)
    )
