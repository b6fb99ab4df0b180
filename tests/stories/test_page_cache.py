"""Pages served again from the page cache (core/pagecache.py): only to the same person, only while nothing they were
made from has changed, with private reads audited on every serve and forms that still create once."""

import re

import pytest
from sqlalchemy import event, select, text, update

from coalition.accounts.models import LoginSession
from coalition.coalitions.models import Membership, MembershipStatus
from coalition.core.audit import AuditEntry
from coalition.core.pagecache import EVERYTHING, classify
from coalition.extensions import db
from coalition.stories.models import Story


def _kept(response) -> bool:
    return response.headers.get("X-Page-Cache") == "hit"


@pytest.fixture
def stories_url(coalition):
    return f"/c/{coalition.slug}/stories/"


def test_the_same_person_gets_the_same_page_again(client_for, people, coalition, make_story, stories_url):
    make_story(coalition, people["storyteller"], visibility="members", title="Heat off all winter")
    member = client_for(people["member"])
    first = member.get(stories_url)
    second = member.get(stories_url)
    assert not _kept(first) and _kept(second)
    assert second.status_code == 200 and second.get_data() == first.get_data()
    assert "Heat off all winter" in second.get_data(as_text=True)
    assert second.headers["Content-Security-Policy"] and second.headers["Cache-Control"] == "no-store"


def test_a_change_to_what_the_page_shows_is_seen_at_once(client_for, people, coalition, make_story, stories_url):
    story = make_story(coalition, people["storyteller"], visibility="members", title="Heat off all winter")
    member = client_for(people["member"])
    member.get(stories_url)
    story.title = "Heat back on"
    db.session.commit()
    page = member.get(stories_url)
    assert not _kept(page)
    assert "Heat back on" in page.get_data(as_text=True)


def test_a_withdrawn_story_leaves_the_kept_page_at_once(client_for, people, coalition, make_story, stories_url):
    make_story(coalition, people["storyteller"], visibility="members", title="Heat off all winter")
    member = client_for(people["member"])
    assert "Heat off all winter" in member.get(stories_url).get_data(as_text=True)
    # Written with plain SQL, outside the ORM: still seen.
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE stories SET withdrawn_at = CURRENT_TIMESTAMP"))
    assert "Heat off all winter" not in member.get(stories_url).get_data(as_text=True)


def test_a_change_elsewhere_keeps_the_page(client_for, people, coalition, make_story, stories_url, make_coalition):
    make_story(coalition, people["storyteller"], visibility="members")
    member = client_for(people["member"])
    member.get(stories_url)
    db.session.execute(update(AuditEntry).values(action="x"))  # a table the stories list does not read
    db.session.commit()
    assert _kept(member.get(stories_url))


def test_another_person_never_gets_someone_elses_page(client_for, people, coalition, make_story, stories_url):
    make_story(coalition, people["storyteller"], title="Threatened by the manager")  # team only
    organizer = client_for(people["organizer"])
    organizer.get(stories_url)
    assert _kept(organizer.get(stories_url))
    member_page = client_for(people["member"]).get(stories_url)
    assert not _kept(member_page)
    assert "Threatened by the manager" not in member_page.get_data(as_text=True)
    visitor = client_for(None).get(stories_url)
    assert visitor.status_code == 302 and not _kept(visitor)


def test_a_removed_member_is_refused_at_once(client_for, people, coalition, make_story, stories_url):
    member = client_for(people["member"])
    member.get(stories_url)
    db.session.execute(
        update(Membership).where(Membership.user_id == people["member"].id).values(status=MembershipStatus.REMOVED)
    )
    db.session.commit()
    assert member.get(stories_url).status_code == 404


def test_an_ended_session_is_refused_at_once(client_for, people, coalition, stories_url):
    member = client_for(people["member"])
    member.get(stories_url)
    db.session.execute(text("DELETE FROM login_sessions"))
    db.session.commit()
    response = member.get(stories_url)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_a_deleted_account_leaves_the_members_list(client_for, people, coalition):
    lead = client_for(people["lead"])
    url = f"/c/{coalition.slug}/members"
    assert "Ben Other" in lead.get(url).get_data(as_text=True)
    # memberships go with the account by ON DELETE CASCADE, which no statement names: still seen.
    db.session.execute(text("DELETE FROM users WHERE id = :id"), {"id": people["member"].id})
    db.session.commit()
    page = lead.get(url)
    assert not _kept(page) and "Ben Other" not in page.get_data(as_text=True)


def test_every_serve_of_private_stories_is_audited(client_for, people, coalition, make_story, stories_url):
    story = make_story(coalition, people["storyteller"], title="Threatened by the manager")
    organizer = client_for(people["organizer"])
    organizer.get(stories_url)
    assert _kept(organizer.get(stories_url))
    assert _kept(organizer.get(stories_url))
    db.session.expire_all()
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "story.read_private")).all()
    assert len(entries) == 3
    assert {e.actor_id for e in entries} == {people["organizer"].id}
    assert all(e.detail["story_ids"] == [story.id] for e in entries)
    assert all(e.created_at is not None and e.ip_address for e in entries)  # the serves' own time and address


def test_a_hard_reload_renders_the_page(client_for, people, coalition, stories_url):
    member = client_for(people["member"])
    member.get(stories_url)
    assert not _kept(member.get(stories_url, headers={"Cache-Control": "no-cache"}))


def test_a_flashed_message_is_shown_not_a_kept_page(client_for, people, coalition, make_story):
    story = make_story(coalition, people["storyteller"], visibility="members")
    storyteller = client_for(people["storyteller"])
    url = f"/c/{coalition.slug}/stories/{story.id}"
    storyteller.get(url)
    assert _kept(storyteller.get(url))
    with storyteller.session_transaction() as session:
        session["_flashes"] = [("success", "Saved, thank you.")]
    page = storyteller.get(url)
    assert not _kept(page) and "Saved, thank you." in page.get_data(as_text=True)


def test_each_serve_of_a_form_gets_a_fresh_single_use_nonce(client_for, people, coalition):
    member = client_for(people["member"])
    url = f"/c/{coalition.slug}/stories/new"
    first, second = member.get(url), member.get(url)
    assert _kept(second)
    nonces = [
        re.findall(r'name="form_nonce" type="hidden" value="([^"]+)"', r.get_data(as_text=True))
        for r in (first, second)
    ]
    assert nonces[0] and nonces[1] and set(nonces[0]).isdisjoint(nonces[1])


def test_another_language_is_another_page(client_for, people, coalition, stories_url):
    member = client_for(people["member"])
    member.get(stories_url)
    page = member.get(stories_url, headers={"Accept-Language": "es"})
    assert not _kept(page)


def test_a_public_page_is_kept_for_every_visitor_until_it_changes(client_for, coalition, make_campaign, csrf_enabled):
    campaign = make_campaign(coalition, title="Safe Homes Now")
    url = f"/c/{coalition.slug}/campaigns/public/{campaign.slug}"
    first = client_for(None).get(url)
    assert first.status_code == 200 and "Set-Cookie" not in first.headers
    again = client_for(None).get(url)  # another visitor, no cookie either
    assert _kept(again) and again.get_data() == first.get_data()
    campaign.title = "Safe Homes For All"
    db.session.commit()
    changed = client_for(None).get(url)
    assert not _kept(changed) and "Safe Homes For All" in changed.get_data(as_text=True)
    # A visitor who chose another language has a session: their page is their own.
    spanish = client_for(None)
    spanish.get("/account/language?language=es&next=/")
    page = spanish.get(url)
    assert not _kept(page) and '<html lang="es"' in page.get_data(as_text=True)


def test_a_file_download_never_reads_the_versions(client_for, people, coalition, stories_url):
    seen = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    organizer = client_for(people["organizer"])
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert organizer.get(stories_url + "export.csv").status_code == 200
        files = [s for s in seen if "page_versions" in s]
        seen.clear()
        organizer.get(stories_url)
        pages = [s for s in seen if "page_versions" in s]
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert files == [] and len(pages) == 1  # a page reads them once, a CSV (never kept) not at all


def test_a_page_is_kept_no_longer_than_configured(app, client_for, people, coalition, stories_url):
    member = client_for(people["member"])
    app.config["PAGE_CACHE_SECONDS"] = 0
    try:
        member.get(stories_url)
        assert not _kept(member.get(stories_url))
    finally:
        app.config["PAGE_CACHE_SECONDS"] = 30


def test_statements_are_read_for_the_tables_they_read_and_write():
    assert classify("SELECT stories.id FROM stories JOIN story_tags ON x WHERE y") == ({"stories", "story_tags"}, set())
    assert classify("INSERT INTO story_counts (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2")[1] == {
        "story_counts"
    }
    assert classify("UPDATE stories SET title = 'x'")[1] == {"stories"}
    assert classify("DELETE FROM memberships WHERE id = 1")[1] == {"memberships"}
    assert classify("WITH x AS (SELECT 1 FROM stories) SELECT * FROM x")[1] == set()
    assert classify("ALTER TABLE stories ADD COLUMN z INTEGER")[1] == {EVERYTHING}
    assert classify("INSERT INTO somewhere_unknown VALUES (1)")[1] == {EVERYTHING}
    assert classify("SELECT 1 FROM stories_fts WHERE stories_fts MATCH 'x'")[0] == {"stories"}


def test_stories_written_by_the_orm_count_as_a_write(people, coalition, make_story):
    before = _versions()
    make_story(coalition, people["storyteller"])
    after = _versions()
    assert after["stories"] != before.get("stories", 0)
    assert db.session.scalar(select(Story.id)) is not None


def _versions():
    return dict(db.session.execute(text("SELECT name, version FROM page_versions")).all())


def test_rows_a_database_cascade_changes_count_as_written(people):
    before = _versions()
    # No statement names memberships: they go with the account (ON DELETE CASCADE).
    db.session.execute(text("DELETE FROM users WHERE id = :id"), {"id": people["member"].id})
    db.session.commit()
    after = _versions()
    assert after["memberships"] != before.get("memberships", 0)
    assert after.get("campaigns", 0) == before.get("campaigns", 0)  # not a table users cascade to


def test_a_kept_page_served_to_a_session_due_its_last_seen_note_keeps_both(
    client_for, people, coalition, make_story, stories_url, request
):
    """The serve's audit entry and the session's five-minute 'last seen' note are written in one transaction: on
    SQLite a note on its own connection waited for the lock the serve held, and failed after five seconds."""
    make_story(coalition, people["storyteller"], title="Threatened by the manager")
    organizer = client_for(people["organizer"])
    organizer.get(stories_url)
    seen_before = db.session.scalars(select(LoginSession.last_seen_at)).all()
    later = request.getfixturevalue("last_seen_due")  # from now on, the session is due its note

    served = organizer.get(stories_url)

    assert _kept(served) and served.status_code == 200
    db.session.expire_all()
    assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "story.read_private")).all()) == 2
    seen = db.session.scalars(select(LoginSession.last_seen_at)).all()
    assert len(seen) == 1 and seen != seen_before and seen[0].replace(tzinfo=None) == later.replace(tzinfo=None)
