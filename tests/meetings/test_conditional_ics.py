"""Calendar apps ask again and again: the .ics and the private feed answer 304 until something in them changes."""

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
