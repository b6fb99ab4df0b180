"""Calendar apps ask again and again: the .ics and the private feed answer 304 until something in them changes."""

from datetime import UTC, datetime

from coalition.extensions import db
from coalition.meetings import calendar, rsvps
from tests.meetings.conftest import url


def test_meeting_ics_answers_not_modified_to_a_repeat_with_its_etag(client, login, member, make_meeting):
    meeting = make_meeting()
    login(client, member)
    first = client.get(url(meeting, "/meeting.ics"))
    assert first.status_code == 200 and first.headers["ETag"]
    assert "no-store" not in first.headers["Cache-Control"]
    again = client.get(url(meeting, "/meeting.ics"), headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


def test_feed_changes_its_etag_when_a_meeting_changes(client, coalition, member, make_meeting):
    meeting = make_meeting()
    rsvps.rsvp_member(meeting, member, "yes")
    raw = calendar.regenerate_feed(coalition, member)
    db.session.commit()
    feed_url = f"/c/{coalition.slug}/meetings/feed/{raw}.ics"
    first = client.get(feed_url)
    assert first.status_code == 200
    assert client.get(feed_url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    meeting.title = "Moved to the library"
    db.session.commit()
    changed = client.get(feed_url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert "Moved to the library" in changed.get_data(as_text=True)


def _without_dtstamp(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("DTSTAMP:"))


def test_a_repeated_ics_is_the_same_calendar_with_a_fresh_dtstamp(client, login, member, make_meeting, monkeypatch):
    meeting = make_meeting()
    login(client, member)
    first = client.get(url(meeting, "/meeting.ics")).get_data(as_text=True)
    later = datetime(2031, 5, 4, 3, 2, 1, tzinfo=UTC)
    monkeypatch.setattr(calendar, "utcnow", lambda: later)
    again = client.get(url(meeting, "/meeting.ics")).get_data(as_text=True)
    assert "DTSTAMP:20310504T030201Z\r\n" in again and "DTSTAMP:20310504T030201Z" not in first
    assert _without_dtstamp(again) == _without_dtstamp(first)


def test_the_exact_place_never_reaches_someone_a_remembered_calendar_was_made_for_first(
    client, login, organizer, member, make_meeting
):
    meeting = make_meeting()
    login(client, organizer)
    assert "12 Main Street" in client.get(url(meeting, "/meeting.ics")).get_data(as_text=True)
    client.post("/account/logout")
    login(client, member)
    text = client.get(url(meeting, "/meeting.ics")).get_data(as_text=True)
    assert "12 Main Street" not in text and "secret-room" not in text


def test_an_edited_meeting_is_never_served_from_a_remembered_calendar(client, login, member, make_meeting):
    meeting = make_meeting()
    login(client, member)
    client.get(url(meeting, "/meeting.ics"))
    meeting.venue = "The new community hall"
    db.session.commit()
    assert "The new community hall" in client.get(url(meeting, "/meeting.ics")).get_data(as_text=True)
