"""Stakeholder meetings and the outreach log: find a meeting to log outreach for, list what was logged for it."""

from coalition.core.permissions import can
from coalition.core.scoping import get_scoped_or_404
from coalition.meetings.models import Meeting, MeetingKind
from coalition.stakeholders.outreach import outreach_of_meeting


def meeting_for_outreach(meeting_id: int) -> Meeting:
    """The current coalition's meeting an outreach is logged for (404 for another coalition's meeting)."""
    return get_scoped_or_404(Meeting, meeting_id)


def linked_outreach(meeting: Meeting) -> list:
    """Outreach logged for a stakeholder meeting (shown to those who may see the outreach log)."""
    if meeting.kind != MeetingKind.STAKEHOLDER_MEETING or not can("outreach.log", meeting):
        return []
    return outreach_of_meeting(meeting)
