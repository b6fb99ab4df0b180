"""What every meeting page needs: load a meeting the person may see, campaign choices, form errors, .ics answers."""

import hashlib
import re
from functools import cache

from flask import Response, abort, g, request
from flask_login import current_user
from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload, selectinload

from coalition.campaigns.services import campaign_choices
from coalition.core.permissions import can, real_user, require
from coalition.core.scoping import first_or_404, get_scoped_or_404, id_or_404, scoped, scoped_values
from coalition.meetings.models import Meeting, Rsvp
from coalition.meetings.rules import remember_rsvp

#: The DTSTAMP lines of an .ics file: when it was generated, not what it says (left out of its ETag).
_DTSTAMP = re.compile(r"^DTSTAMP:.*\r?\n", re.MULTILINE)


def load_meeting(meeting_id: int, action: str = "meeting.view", *options) -> Meeting:
    """Load a meeting of this coalition the person may see (invite-only ones are not found otherwise)."""
    meeting = _visible_or_404(get_scoped_or_404(Meeting, meeting_id, *options))
    require(action, meeting)
    return meeting


def _visible_or_404(meeting: Meeting) -> Meeting:
    if not can("meeting.view", meeting):
        abort(404)
    return meeting


def load_meeting_with_rsvp(meeting_id: int, *, page: bool = False) -> Meeting:
    """`load_meeting(meeting_id)`, with the person's own RSVP read by the same statement (the meeting page and the
    .ics show both; `rules.rsvp_of` then finds it without a query of its own); for the meeting `page`, with its
    agenda and campaign."""
    user = real_user(current_user)
    meeting, rsvp = first_or_404(
        _with_rsvp_statement(page), scoped_values(meeting_id=id_or_404(meeting_id), user_id=user.id)
    )
    remember_rsvp(meeting, user, rsvp)
    return _visible_or_404(meeting)


@cache
def _with_rsvp_statement(page: bool):
    """Built once (every meeting page and .ics asks): the meeting :meeting_id of the current coalition and the RSVP
    of :user_id to it. The page's campaign is joined: one statement whether or not the meeting has one."""
    mine = (Rsvp.meeting_id == Meeting.id) & (Rsvp.user_id == bindparam("user_id"))
    statement = (
        scoped(Meeting, built_once=True)
        .add_columns(Rsvp)
        .outerjoin(Rsvp, mine)
        .where(Meeting.id == bindparam("meeting_id"))
    )
    if page:
        statement = statement.options(selectinload(Meeting.agenda_items), joinedload(Meeting.campaign))
    return statement


def campaigns(meeting: Meeting | None = None) -> list[tuple[int, str]]:
    """The coalition's campaigns as choices, plus the meeting's own campaign if it is no longer among them."""
    choices = campaign_choices(g.coalition)
    if meeting is not None and meeting.campaign is not None and meeting.campaign_id not in dict(choices):
        choices.append((meeting.campaign_id, meeting.campaign.title))
    return choices


def ics_response(text: str, filename: str = "meeting.ics") -> Response:
    """An .ics download that only the person's own client keeps, always revalidated: it carries an ETag of its
    content (less the DTSTAMP, which says when the file was made), so a calendar app asking again with
    If-None-Match gets 304 Not Modified until something in it changes."""
    response = Response(
        text,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-cache"},
    )
    content = _DTSTAMP.sub("", text)
    response.set_etag(hashlib.sha256(content.encode()).hexdigest()[:32])
    return response.make_conditional(request)
