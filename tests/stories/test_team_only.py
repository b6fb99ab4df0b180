"""A member's story kept to the organizing team, anonymous: hidden from members, nameless to organizers, audited."""

import pytest
from flask import template_rendered
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from coalition.accounts.models import LoginSession
from coalition.core.audit import AuditEntry
from coalition.extensions import db


@pytest.fixture
def private_story(make_story, coalition, people):
    return make_story(
        coalition, people["storyteller"], status="submitted", title="Threatened by the manager", body="A pangolin."
    )


def _audit(action="story.read_private"):
    db.session.expire_all()
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


@pytest.mark.parametrize("path", ["/", "/?q=pangolin", "/?status=submitted", "/{id}", "/{id}/edit", "/export.csv"])
def test_other_members_cannot_find_a_team_only_story(client_for, coalition, people, private_story, path):
    member = client_for(people["member"])
    response = member.get(f"/c/{coalition.slug}/stories" + path.format(id=private_story.id))
    assert response.status_code in (200, 403, 404)
    assert "Threatened by the manager" not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["organizer", "lead"])
def test_organizers_see_a_team_only_story_without_the_storytellers_name(
    client_for, coalition, people, private_story, role
):
    client = client_for(people[role])
    for path in ("/", "/?q=pangolin", f"/{private_story.id}", "/export.csv"):
        page = client.get(f"/c/{coalition.slug}/stories{path}").get_data(as_text=True)
        assert "Threatened by the manager" in page
        assert "Ana Martinez" not in page and "Ana M." not in page
        assert "Anonymous" in page


def test_organizer_reading_a_team_only_story_is_written_to_the_audit_log(client_for, coalition, people, private_story):
    client_for(people["organizer"]).get(f"/c/{coalition.slug}/stories/{private_story.id}")
    entries = _audit()
    assert len(entries) == 1
    assert entries[0].actor_id == people["organizer"].id and entries[0].object_id == private_story.id


def test_organizer_listing_team_only_stories_is_written_to_the_audit_log(client_for, coalition, people, private_story):
    client_for(people["organizer"]).get(f"/c/{coalition.slug}/stories/?q=pangolin")
    assert _audit()[0].detail["story_ids"] == [private_story.id]


def test_reading_a_members_visible_story_is_not_audited(client_for, coalition, people, make_story):
    story = make_story(coalition, people["storyteller"], visibility="members")
    client_for(people["organizer"]).get(f"/c/{coalition.slug}/stories/{story.id}")
    assert _audit() == []


def test_the_storyteller_reading_their_own_story_is_not_audited(client_for, coalition, people, private_story):
    client_for(people["storyteller"]).get(f"/c/{coalition.slug}/stories/{private_story.id}")
    assert _audit() == []


def test_every_export_is_written_to_the_audit_log(client_for, coalition, people, make_story):
    make_story(coalition, people["storyteller"], visibility="members")
    client_for(people["organizer"]).get(f"/c/{coalition.slug}/stories/export.csv")
    entries = _audit("story.export")
    assert len(entries) == 1 and entries[0].detail["count"] == 1


def test_leads_read_the_audit_of_private_reads(client_for, coalition, people, private_story):
    client_for(people["organizer"]).get(f"/c/{coalition.slug}/stories/{private_story.id}")
    page = client_for(people["lead"]).get(f"/c/{coalition.slug}/audit").get_data(as_text=True)
    assert "story.read_private" in page


def test_export_has_attribution_applied_and_no_contact_data(client_for, coalition, people, make_story):
    make_story(coalition, people["storyteller"], visibility="members", attribution="first_initial")
    csv = client_for(people["organizer"]).get(f"/c/{coalition.slug}/stories/export.csv").get_data(as_text=True)
    assert "Ana M." in csv and "Ana Martinez" not in csv
    assert people["storyteller"].email not in csv


@pytest.fixture
def renders_and_commits(app):
    """The order of what happens in a request: 'render' for each template, 'commit' for each database commit."""
    events = []

    def rendered(sender, template, context, **extra):
        events.append("render")

    def committed(connection):
        events.append("commit")

    template_rendered.connect(rendered, app)
    event.listen(db.engine, "commit", committed)
    yield events
    event.remove(db.engine, "commit", committed)
    template_rendered.disconnect(rendered, app)


@pytest.mark.parametrize("path", ["/{id}", "/?q=pangolin"])
def test_a_private_read_is_one_insert_committed_after_the_page_is_rendered(
    client_for, coalition, people, private_story, count_queries, renders_and_commits, path
):
    client = client_for(people["organizer"])
    events = renders_and_commits
    events.clear()  # the log-in's own commits
    with count_queries() as counter:
        page = client.get(f"/c/{coalition.slug}/stories" + path.format(id=private_story.id))
    assert page.status_code == 200 and "Threatened by the manager" in page.get_data(as_text=True)
    inserts = [s for s in counter.statements if s.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1 and "audit_entries" in inserts[0]
    assert "render" in events and "commit" not in events[: events.index("render")]
    assert len(_audit()) == 1


def test_a_private_story_is_not_shown_when_its_audit_entry_cannot_be_kept(
    app, client_for, coalition, people, private_story, monkeypatch
):
    client = client_for(people["organizer"])

    def failing_commit():
        raise OperationalError("COMMIT", {}, Exception("database went away"))

    monkeypatch.setattr(db.session, "commit", failing_commit)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    page = client.get(f"/c/{coalition.slug}/stories/{private_story.id}")
    assert page.status_code == 500
    assert "Threatened by the manager" not in page.get_data(as_text=True)
    monkeypatch.undo()
    assert _audit() == []


@pytest.mark.parametrize("path", ["/", "/{id}"])
def test_a_private_read_by_a_session_due_its_last_seen_note_is_served_and_keeps_both(
    client_for, coalition, people, private_story, path, last_seen_due
):
    """Every five minutes a session notes when it was last seen. When that falls on a page that audits a private
    read, both are kept and the page is served: on SQLite the note used to wait for the audit entry's write lock,
    held by the same request, and the organizer got an error after five seconds."""
    organizer = client_for(people["organizer"])

    response = organizer.get(f"/c/{coalition.slug}/stories" + path.format(id=private_story.id))

    assert response.status_code == 200
    assert "Threatened by the manager" in response.get_data(as_text=True)
    assert len(_audit()) == 1
    seen = db.session.scalars(select(LoginSession.last_seen_at).where(LoginSession.user_id == people["organizer"].id))
    assert [at.replace(tzinfo=None) for at in seen] == [last_seen_due.replace(tzinfo=None)]
