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
