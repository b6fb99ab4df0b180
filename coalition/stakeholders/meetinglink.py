"""Outreach logged for a meeting ("log this meeting as outreach").

Meetings are a layer above stakeholders, so this domain does not load them itself: the meetings domain registers,
from its `register(app)`, the function that finds one of the current coalition's meetings by id. What this domain
uses of a meeting is `id`, `title`, `start_at` and `campaign_id`.
"""

from collections.abc import Callable

from flask import abort

#: "meeting" -> finder(meeting_id) -> the current coalition's meeting the person may log outreach for, or None.
FINDERS: dict[str, Callable] = {}


def register_meeting_finder(finder: Callable) -> None:
    """Register how to find a meeting of the current coalition by id (the meetings domain calls this)."""
    FINDERS["meeting"] = finder


def linked_meeting(meeting_id):
    """The meeting an outreach is logged for (None without an id); 404 for an unknown or another coalition's one."""
    if not meeting_id:
        return None
    finder = FINDERS.get("meeting")
    meeting = finder(meeting_id) if finder is not None else None
    if meeting is None:
        abort(404)
    return meeting
