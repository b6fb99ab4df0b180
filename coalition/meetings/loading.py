"""What every meeting page needs: load a meeting the person may see, campaign choices, form errors, .ics answers."""

import hashlib
import re

from flask import Response, abort, g, request

from coalition.campaigns.services import campaign_choices
from coalition.core.permissions import can, require
from coalition.core.scoping import get_scoped_or_404
from coalition.meetings.models import Meeting

#: The DTSTAMP lines of an .ics file: when it was generated, not what it says (left out of its ETag).
_DTSTAMP = re.compile(r"^DTSTAMP:.*\r?\n", re.MULTILINE)


def load_meeting(meeting_id: int, action: str = "meeting.view", *options) -> Meeting:
    """Load a meeting of this coalition the person may see (invite-only ones are not found otherwise)."""
    meeting = get_scoped_or_404(Meeting, meeting_id, *options)
    if not can("meeting.view", meeting):
        abort(404)
    require(action, meeting)
    return meeting


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
