"""Makers for the API tests: a team, keys, and a client that sends the key."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from coalition.extensions import db

_counter = itertools.count(1)


@pytest.fixture
def team(make_coalition, make_member):
    """A coalition with a lead, an organizer and a member, and another coalition with its own member."""
    coalition = make_coalition()
    other = make_coalition()
    return {
        "coalition": coalition,
        "other": other,
        "lead": make_member(coalition, "lead"),
        "organizer": make_member(coalition, "organizer"),
        "member": make_member(coalition, "member"),
        "outsider": make_member(other, "member"),
    }


@pytest.fixture
def make_key():
    """Create (and commit) an API key; returns its raw secret."""
    from coalition.api.keys import create_key

    def make(coalition, scope="read_write", name=None):
        _key, raw = create_key(coalition, None, name=name or f"Key {next(_counter)}", scope=scope)
        db.session.commit()
        return raw

    return make


class Api:
    """A test client that sends an API key and JSON."""

    def __init__(self, client, raw):
        self.client, self.raw = client, raw

    def _headers(self):
        return {"OSDI-API-Token": self.raw} if self.raw else {}

    def get(self, path, **kwargs):
        return self.client.get(self._path(path), headers=self._headers(), **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.client.post(self._path(path), json=json, headers=self._headers(), **kwargs)

    def delete(self, path):
        return self.client.delete(self._path(path), headers=self._headers())

    @staticmethod
    def _path(path):
        if path.startswith("http"):
            return path.split("coalition.test", 1)[1]
        return path if path.startswith("/api/") else "/api/osdi/v1/" + path.lstrip("/")


@pytest.fixture
def api(client):
    """`api(raw_key)` -> a client sending that key."""
    return lambda raw: Api(client, raw)


@pytest.fixture
def make_meeting():
    """Create (and commit) a meeting in the future."""
    from coalition.meetings.models import Meeting

    def make(coalition, **fields):
        start = fields.pop("start_at", datetime.now(UTC) + timedelta(days=7))
        meeting = Meeting(
            coalition_id=coalition.id,
            title=fields.pop("title", f"Meeting {next(_counter)}"),
            start_at=start,
            end_at=start + timedelta(hours=2),
            **fields,
        )
        db.session.add(meeting)
        db.session.commit()
        return meeting

    return make


@pytest.fixture
def make_campaign():
    """Create (and commit) a campaign."""
    from coalition.campaigns.models import Campaign

    def make(coalition, **fields):
        n = next(_counter)
        campaign = Campaign(coalition_id=coalition.id, title=f"Campaign {n}", slug=f"campaign-{n}", **fields)
        db.session.add(campaign)
        db.session.commit()
        return campaign

    return make


@pytest.fixture
def make_story():
    """Create (and commit) a story; approved and public unless told otherwise."""
    from coalition.core.models import utcnow
    from coalition.stories.models import Story, StoryStatus, StoryVisibility

    def make(coalition, storyteller, **fields):
        n = next(_counter)
        values = {
            "title": f"Story {n}",
            "body": f"Text of story {n}.",
            "status": StoryStatus.APPROVED,
            "visibility": StoryVisibility.PUBLIC,
            "approved_at": utcnow(),
            "submitted_at": utcnow(),
        }
        values.update(fields)
        story = Story(coalition_id=coalition.id, storyteller_id=storyteller.id, **values)
        db.session.add(story)
        db.session.commit()
        return story

    return make
