"""Meeting mail: confirmations with the .ics, promotions from the waitlist, changes, cancellations, reminders.

Every mail goes through the outbox in the transaction of the change that caused it. Times are written in the
recipient's own time zone (or the meeting's), whoever triggered the mail.
"""

import zoneinfo
from datetime import timedelta

from babel.dates import format_date, format_time
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coalition.core.i18n import lazy_gettext as _l
from coalition.core.links import site_link
from coalition.core.models import utcnow
from coalition.core.outbox import OutboxMessage, queue_mail
from coalition.extensions import db
from coalition.meetings.calendar import ics_attachment, meeting_path
from coalition.meetings.models import Meeting, MeetingStatus, Rsvp, RsvpResponse

#: The longest reminder lead time a coalition can choose (see the coalition settings form).
MAX_REMINDER_HOURS = 24 * 14


def when_text(meeting: Meeting, tz_name: str, locale: str) -> str:
    """'Tuesday, March 10, 2026, 6:00 PM – 7:30 PM (America/Chicago)' in a zone and language."""
    zone = zoneinfo.ZoneInfo(tz_name)
    start, end = meeting.start_at.astimezone(zone), meeting.end_at.astimezone(zone)
    text = f"{format_date(start, 'full', locale=locale)}, {format_time(start, 'short', tzinfo=zone, locale=locale)} – "
    if start.date() != end.date():
        text += format_date(end, "full", locale=locale) + ", "
    return text + f"{format_time(end, 'short', tzinfo=zone, locale=locale)} ({tz_name})"


def _locale(meeting: Meeting, rsvp: Rsvp) -> str:
    return (rsvp.user.locale if rsvp.user is not None else None) or meeting.coalition.default_locale or "en"


def _link(meeting: Meeting, rsvp: Rsvp) -> str:
    if rsvp.user_id is not None:
        return site_link(meeting_path(meeting))
    return site_link(f"/c/{meeting.coalition.slug}/meetings/public/{meeting.id}")


def mail_rsvp(meeting: Meeting, rsvp: Rsvp, subject, template: str, *, kind: str, attach: bool = True, **context):
    """Queue one meeting mail to the person behind an RSVP, with the .ics attached."""
    locale = _locale(meeting, rsvp)
    tz_name = (rsvp.user.timezone if rsvp.user is not None else None) or meeting.timezone
    details = rsvp.is_going
    attachments = [ics_attachment(meeting, details=details, attendee_email=rsvp.email)] if attach else None
    return queue_mail(
        rsvp.email,
        subject,
        f"meetings/{template}",
        kind=kind,
        locale=locale,
        attachments=attachments,
        meeting=meeting,
        rsvp=rsvp,
        name=rsvp.name,
        when=when_text(meeting, tz_name, locale),
        details=details,
        meeting_url=_link(meeting, rsvp),
        **context,
    )


def send_confirmation(meeting: Meeting, rsvp: Rsvp, raw_token: str | None = None) -> None:
    """Confirm an answer: going (with the .ics), waitlisted, maybe or no."""
    manage_url = None
    if raw_token:
        manage_url = site_link(f"/c/{meeting.coalition.slug}/meetings/public/{meeting.id}/rsvp/{raw_token}")
    mail_rsvp(
        meeting,
        rsvp,
        _l("Your answer for %(title)s", title=meeting.title),
        "confirmation",
        kind="meeting_rsvp",
        attach=rsvp.response != RsvpResponse.NO and not rsvp.waitlisted,
        manage_url=manage_url,
    )


def send_visitor_link(meeting: Meeting, rsvp: Rsvp, raw_token: str) -> None:
    """Mail a visitor a fresh private link to change their answer."""
    mail_rsvp(
        meeting,
        rsvp,
        _l("Your link for %(title)s", title=meeting.title),
        "visitor_link",
        kind="meeting_rsvp_link",
        attach=False,
        manage_url=site_link(f"/c/{meeting.coalition.slug}/meetings/public/{meeting.id}/rsvp/{raw_token}"),
    )


def notify_promoted(meeting: Meeting, rsvp: Rsvp) -> None:
    """Tell someone from the waitlist that they now have a place."""
    mail_rsvp(
        meeting, rsvp, _l("A place opened up: %(title)s", title=meeting.title), "promoted", kind="meeting_promoted"
    )


def _answered(meeting: Meeting, *, waitlist: bool) -> list[Rsvp]:
    statement = (
        select(Rsvp)
        .where(Rsvp.meeting_id == meeting.id, Rsvp.response.in_([RsvpResponse.YES, RsvpResponse.MAYBE]))
        .options(selectinload(Rsvp.user))
        .order_by(Rsvp.id)
    )
    if not waitlist:
        statement = statement.where(Rsvp.waitlisted.is_(False))
    return list(db.session.scalars(statement))


def notify_change(meeting: Meeting) -> None:
    """Tell everyone coming (yes or maybe) that the time or place changed, with the updated .ics."""
    for rsvp in _answered(meeting, waitlist=False):
        mail_rsvp(
            meeting,
            rsvp,
            _l("Changed: %(title)s", title=meeting.title),
            "updated",
            kind="meeting_update",
            dedupe_key=f"update:{rsvp.id}:{meeting.sequence}",
        )


def notify_cancellation(meeting: Meeting) -> None:
    """Tell everyone who answered yes or maybe, or waits, that the meeting is cancelled (METHOD:CANCEL)."""
    for rsvp in _answered(meeting, waitlist=True):
        mail_rsvp(
            meeting,
            rsvp,
            _l("Cancelled: %(title)s", title=meeting.title),
            "cancelled",
            kind="meeting_cancel",
            dedupe_key=f"cancel:{rsvp.id}:{meeting.sequence}",
        )


def notify_invited(meeting: Meeting, user) -> None:
    """Tell a member they are invited to an invite-only meeting."""
    locale = user.locale or meeting.coalition.default_locale or "en"
    queue_mail(
        user.email,
        _l("You are invited: %(title)s", title=meeting.title),
        "meetings/invited",
        kind="meeting_invite",
        locale=locale,
        meeting=meeting,
        name=user.display_name,
        when=when_text(meeting, user.timezone or meeting.timezone, locale),
        meeting_url=site_link(meeting_path(meeting)),
    )


def reminder_key(meeting: Meeting, rsvp: Rsvp) -> str:
    """One reminder per RSVP and version of the meeting: a moved meeting is reminded again, nothing twice."""
    return f"reminder:{rsvp.id}:{meeting.sequence}"


def queue_reminders(now=None) -> int:
    """Queue reminders for yes and maybe answers to meetings starting within each coalition's reminder time.

    Safe to run again and from several processes at once: each reminder has a dedupe key the outbox keeps
    unique. Returns how many reminders were queued by this run.
    """
    now = now or utcnow()
    meetings = db.session.scalars(
        select(Meeting)
        .where(
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.start_at > now,
            Meeting.start_at <= now + timedelta(hours=MAX_REMINDER_HOURS),
        )
        .options(joinedload(Meeting.coalition))
        # One order for every worker (ties broken by id): a worker waits on the reminders another one has queued
        # but not yet committed, and two workers taking meetings in different orders would wait for each other.
        .order_by(Meeting.start_at, Meeting.id)
    ).all()
    queued = 0
    for meeting in meetings:
        if meeting.start_at > now + timedelta(hours=meeting.coalition.reminder_hours):
            continue
        for rsvp in _answered(meeting, waitlist=False):
            if rsvp.user is not None and not rsvp.user.notify_meetings:
                continue
            key = reminder_key(meeting, rsvp)
            if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)) is not None:
                continue
            subject = _l("Reminder: %(title)s", title=meeting.title)
            if mail_rsvp(meeting, rsvp, subject, "reminder", kind="meeting_reminder", dedupe_key=key) is not None:
                queued += 1
    return queued
