"""Maker fixtures for the meetings tests."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from coalition.core.models import utcnow
from coalition.extensions import db


def local_fields(start, end, tz_name="UTC") -> dict:
    """The form's local date/time fields for aware UTC start and end."""
    zone = ZoneInfo(tz_name)
    s, e = start.astimezone(zone), end.astimezone(zone)
    return {"start_date": s.date(), "start_time": s.time(), "end_date": e.date(), "end_time": e.time()}


DEFAULTS = {
    "kind": "coalition_meeting",
    "title": "Tenant assembly",
    "description": "Monthly meeting of the tenants.",
    "campaign_id": None,
    "timezone": "UTC",
    "venue": "Community Hall",
    "address": "12 Main Street, Room 3",
    "access_notes": "Step-free entrance at the back.",
    "online_url": "https://meet.example.org/secret-room",
    "capacity": None,
    "visibility": "members",
    "languages": "English",
    "interpretation": "Spanish, Vietnamese",
    "childcare": True,
    "food": "Tamales",
}


@pytest.fixture
def coalition(make_coalition):
    return make_coalition(timezone="America/Chicago")


@pytest.fixture
def organizer(coalition, make_member):
    return make_member(coalition, "organizer")


@pytest.fixture
def member(coalition, make_member):
    return make_member(coalition, "member")


@pytest.fixture
def make_meeting(coalition, organizer):
    """Schedule (and commit) a meeting; `start` is aware UTC (default: in three days), one hour long."""
    from coalition.meetings import services

    def make(start=None, hours=1, in_coalition=None, by=None, **fields):
        start = start or (utcnow() + timedelta(days=3)).replace(second=0, microsecond=0)
        values = dict(DEFAULTS, **fields)
        times = local_fields(start, start + timedelta(hours=hours), values["timezone"])
        meeting = services.schedule_meeting(in_coalition or coalition, by or organizer, **times, **values)
        db.session.commit()
        return meeting

    return make


def url(meeting, suffix="") -> str:
    """The address of a meeting page (or of one of its sub-pages)."""
    return f"/c/{meeting.coalition.slug}/meetings/{meeting.id}{suffix}"


def form_data(start, end, tz_name="America/Chicago", **overrides) -> dict:
    """POST data of the meeting form for local wall-clock values."""
    data = {
        "kind": "small_gathering",
        "title": "House meeting on Elm Street",
        "start_date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"),
        "timezone": tz_name,
        "visibility": "members",
        "campaign_id": "0",
    }
    data.update(overrides)
    return data
