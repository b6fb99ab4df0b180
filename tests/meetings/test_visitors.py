"""Visitors RSVP to public meetings with name and email and change it through a private link."""

import re

from sqlalchemy import select

from coalition.extensions import db
from coalition.meetings.models import Meeting, Rsvp
from tests.meetings.conftest import url


def _public(meeting, suffix=""):
    return url(meeting).replace("/meetings/", "/meetings/public/") + suffix


def _link_in(mail) -> str:
    return re.search(r"http://coalition\.test(/c/\S+/rsvp/\S+)", mail.body_text).group(1)


def test_visitor_rsvps_and_gets_a_private_link_with_the_ics(client, make_meeting, outbox):
    meeting = make_meeting(visibility="public")
    data = {"name": "Dana Whitfield", "email": "Dana@Example.org", "response": "yes", "guests": "1"}
    response = client.post(_public(meeting), data=data)
    assert response.status_code == 200
    assert "We sent a mail to Dana@Example.org" in response.get_data(as_text=True)
    rsvp = db.session.scalar(select(Rsvp))
    assert (rsvp.visitor_name, rsvp.visitor_email, rsvp.seats_held) == ("Dana Whitfield", "dana@example.org", 2)
    mail = outbox(to="dana@example.org")[0]
    assert mail.attachments[0]["filename"] == "meeting.ics"
    link = _link_in(mail)
    assert link.split("/rsvp/")[1] not in (rsvp.token_hash or "")
    assert "secret-room" in mail.body_text  # a visitor with a place gets the online link


def test_visitor_changes_answer_through_private_link_releasing_places(client, make_meeting, outbox):
    meeting = make_meeting(visibility="public", capacity=5)
    client.post(_public(meeting), data={"name": "Dana", "email": "dana@example.org", "response": "yes", "guests": "2"})
    link = _link_in(outbox(to="dana@example.org")[0])
    page = client.get(link)
    assert page.status_code == 200 and "secret-room" in page.get_data(as_text=True)
    client.post(link, data={"response": "no"})
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).seats_taken == 0
    assert db.session.scalar(select(Rsvp)).response.value == "no"


def test_wrong_private_link_is_404(client, make_meeting):
    meeting = make_meeting(visibility="public")
    assert client.get(_public(meeting, "/rsvp/not-a-real-token")).status_code == 404


def test_same_email_again_changes_nothing_and_mails_a_fresh_link(client, make_meeting, outbox):
    meeting = make_meeting(visibility="public")
    client.post(_public(meeting), data={"name": "Dana", "email": "dana@example.org", "response": "yes"})
    old_link = _link_in(outbox(to="dana@example.org")[0])
    again = client.post(_public(meeting), data={"name": "Someone", "email": "dana@example.org", "response": "no"})
    assert "We sent a mail to dana@example.org" in again.get_data(as_text=True)
    rsvp = db.session.scalar(select(Rsvp))
    assert (rsvp.visitor_name, rsvp.response.value) == ("Dana", "yes")
    mails = outbox(to="dana@example.org")
    assert len(mails) == 2
    assert client.get(old_link).status_code == 404
    assert client.get(_link_in(mails[1])).status_code == 200


def test_visitor_cannot_rsvp_to_a_members_meeting(client, make_meeting):
    meeting = make_meeting(visibility="members")
    response = client.post(_public(meeting), data={"name": "Dana", "email": "dana@example.org", "response": "yes"})
    assert response.status_code == 404
    assert db.session.scalar(select(Rsvp)) is None


def test_visitor_form_needs_name_and_valid_email(client, make_meeting):
    meeting = make_meeting(visibility="public")
    response = client.post(_public(meeting), data={"name": "", "email": "not-an-email", "response": "yes"})
    text = response.get_data(as_text=True)
    assert "Please enter your name." in text
    assert "This does not look like an email address." in text
    assert db.session.scalar(select(Rsvp)) is None


def test_visitor_rsvp_is_rate_limited(client, make_meeting, rate_limits):
    rate_limits(RATELIMIT_PUBLIC_FORM="2 per minute")
    meeting = make_meeting(visibility="public")
    codes = [
        client.post(_public(meeting), data={"name": "D", "email": f"d{i}@example.org", "response": "yes"}).status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]


def test_visitor_rsvp_needs_csrf_token(client, make_meeting, csrf_enabled):
    meeting = make_meeting(visibility="public")
    response = client.post(_public(meeting), data={"name": "Dana", "email": "dana@example.org", "response": "yes"})
    assert response.status_code == 400
    assert db.session.scalar(select(Rsvp)) is None


def test_public_ics_downloads_for_visitors(client, make_meeting):
    meeting = make_meeting(visibility="public")
    response = client.get(_public(meeting, "/meeting.ics"))
    assert response.status_code == 200 and b"BEGIN:VEVENT" in response.data
    assert b"secret-room" not in response.data
