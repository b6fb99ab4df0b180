"""Maker fixtures for the decisions tests."""

from datetime import timedelta

import pytest

from coalition.core.models import utcnow
from coalition.decisions import services
from coalition.extensions import db


@pytest.fixture
def coalition(make_coalition):
    return make_coalition(timezone="America/Chicago")


@pytest.fixture
def organizer(coalition, make_member):
    return make_member(coalition, "organizer")


@pytest.fixture
def members(coalition, make_member):
    return [make_member(coalition, "member") for _ in range(5)]


@pytest.fixture
def make_decision(coalition, organizer):
    """Create (and open, unless draft=True) a decision; commit."""

    def make(kind="proposal", privacy="organizers", options=None, draft=False, closes_in=timedelta(days=3), **fields):
        if options is None:
            options = [] if kind == "proposal" else ["Alpha", "Bravo", "Charlie"]
        decision = services.create_decision(
            coalition,
            organizer,
            kind=kind,
            privacy=privacy,
            options=options,
            title=fields.pop("title", "A question"),
            opens_at=utcnow() - timedelta(minutes=5),
            closes_at=utcnow() + closes_in,
            **fields,
        )
        if not draft:
            services.open_decision(decision, organizer)
        db.session.commit()
        return decision

    return make


def url(decision, suffix="") -> str:
    return f"/c/{decision.coalition.slug}/decisions/{decision.id}{suffix}"


@pytest.fixture
def make_campaign(coalition):
    """Create (and commit) a campaign of the coalition."""
    from coalition.campaigns.models import Campaign

    made = []

    def make(title=None):
        made.append(1)
        campaign = Campaign(coalition_id=coalition.id, title=title or f"Campaign {len(made)}", slug=f"c-{len(made)}")
        db.session.add(campaign)
        db.session.commit()
        return campaign

    return make


@pytest.fixture
def make_meeting(coalition, organizer):
    """Schedule (and commit) a meeting of the coalition in three days."""
    from coalition.meetings import services as meetings
    from tests.meetings.conftest import DEFAULTS, local_fields

    def make(title="House meeting"):
        start = (utcnow() + timedelta(days=3)).replace(second=0, microsecond=0)
        fields = dict(DEFAULTS, title=title)
        meeting = meetings.schedule_meeting(
            coalition, organizer, **local_fields(start, start + timedelta(hours=1)), **fields
        )
        db.session.commit()
        return meeting

    return make


@pytest.fixture
def audits():
    """The audit actions recorded for an object: `audits(decision)`."""
    from sqlalchemy import select

    from coalition.core.audit import AuditEntry

    def actions(obj):
        return list(
            db.session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.object_type == type(obj).__name__, AuditEntry.object_id == obj.id)
                .order_by(AuditEntry.id)
            )
        )

    return actions


def local_text(value, tz="America/Chicago") -> str:
    """An aware UTC time as the form's datetime-local text in the coalition's zone."""
    from zoneinfo import ZoneInfo

    return value.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%dT%H:%M")
